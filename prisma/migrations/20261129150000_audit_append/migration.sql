-- Appends a batch of audit rows to the hash chain in ONE statement (one round trip, committed on return).
--
-- The hash is the one src/audit/chain.ts defines and verification recomputes:
--   hash = SHA-256(prev_hash || canonical JSON of the row's fields)
-- The application writes each row's canonical JSON itself, in three pieces around the two values only the
-- database knows at append time: the recorded_at text (database clock) and the seq. Keys are sorted, so the
-- canonical JSON reads  ...,"recordedAt":<here>,"requestId":...,"seq":<here>,"target":...}  and this function
-- only splices the two JSON strings in. The chain head row is locked for the statement's transaction, so seq
-- stays gap-free and ordered across instances.
--
-- SECURITY DEFINER: the service's role needs EXECUTE on this function and SELECT on the tables, and no INSERT on
-- audit_event nor UPDATE on audit_chain_head — rows enter the chain only through here (README, least privilege).
CREATE FUNCTION audit_append(batch jsonb)
  RETURNS TABLE (id uuid, seq bigint, recorded_at text, prev_hash text, hash text)
  LANGUAGE plpgsql
  SECURITY DEFINER
AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  now_text text;
  r jsonb;
  row_hash text;
BEGIN
  SELECT c.seq, c.hash INTO head_seq, head_hash FROM audit_chain_head c WHERE c.id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit chain head is missing';
  END IF;
  now_text := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
  FOR r IN SELECT value FROM jsonb_array_elements(batch) LOOP
    head_seq := head_seq + 1;
    row_hash := encode(sha256(convert_to(
      head_hash || (r->>'head') || to_json(now_text)::text || (r->>'middle') || to_json(head_seq::text)::text || (r->>'tail'),
      'UTF8')), 'hex');
    INSERT INTO audit_event (id, seq, recorded_at, action, outcome, actor_id, actor_roles, patient_id,
                             purpose_of_use, request_id, target, details, prev_hash, hash)
    VALUES ((r->>'id')::uuid, head_seq, now_text::timestamptz, r->>'action', r->>'outcome', r->>'actorId',
            ARRAY(SELECT jsonb_array_elements_text(r->'actorRoles')), (r->>'patientId')::uuid,
            r->>'purposeOfUse', r->>'requestId', NULLIF(r->'target', 'null'::jsonb), r->'details', head_hash, row_hash);
    id := (r->>'id')::uuid;
    seq := head_seq;
    recorded_at := now_text;
    prev_hash := head_hash;
    hash := row_hash;
    RETURN NEXT;
    head_hash := row_hash;
  END LOOP;
  UPDATE audit_chain_head SET seq = head_seq, hash = head_hash WHERE audit_chain_head.id = 1;
END
$$;

-- A definer function resolves names in its own schema only, temporary objects last (no shadowing).
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION audit_append(jsonb) SET search_path = %I, pg_temp', current_schema());
END
$$;
REVOKE ALL ON FUNCTION audit_append(jsonb) FROM PUBLIC;
