-- audit_append() stores exactly what it hashes: every field is read back out of the canonical JSON that is hashed,
-- and that text must be canonical (what src/audit/chain.ts canonicalJson writes and verification recomputes), or the
-- row is refused. Before, the function hashed the caller's text but stored the caller's separate fields, so a caller
-- (the service role) could store a row that disagrees with its hash and break verification from that row on.
--
-- audit_canonical(value) writes a jsonb value as canonicalJson does: object keys sorted, no whitespace, strings as
-- JSON.stringify escapes them, numbers as JavaScript prints them. Only the plain-decimal range JavaScript prints
-- without an exponent (0, or 1e-6 <= |n| < 1e21) is accepted, and only numbers a double holds exactly as written;
-- anything else raises, so a row is refused rather than ever stored in a form verification would not reproduce.
CREATE FUNCTION audit_canonical(value jsonb) RETURNS text
  LANGUAGE plpgsql IMMUTABLE STRICT
AS $$
DECLARE
  n numeric;
  out text;
BEGIN
  -- Strings, booleans, null and integers of up to 15 digits are written in place (jsonb prints them as
  -- JavaScript does); only containers and other numbers recurse: a call per value would cost ~10 µs each.
  CASE jsonb_typeof(value)
    WHEN 'object' THEN
      -- Keys in "C" (code point) order: JavaScript's UTF-16 order but for characters beyond U+FFFF against ones in
      -- U+E000..U+FFFF, which audit_append() refuses to have in one row.
      SELECT '{' || coalesce(string_agg(to_json(e.key)::text || ':' ||
               CASE
                 WHEN jsonb_typeof(e.value) = 'string' THEN to_json(e.value #>> '{}')::text
                 WHEN jsonb_typeof(e.value) IN ('boolean', 'null') THEN e.value::text
                 WHEN jsonb_typeof(e.value) = 'number' AND e.value::text ~ '^-?(0|[1-9][0-9]{0,14})$' THEN e.value::text
                 ELSE audit_canonical(e.value)
               END, ',' ORDER BY e.key COLLATE "C"), '') || '}'
        INTO out FROM jsonb_each(value) e;
      RETURN out;
    WHEN 'array' THEN
      SELECT '[' || coalesce(string_agg(
               CASE
                 WHEN jsonb_typeof(e.value) = 'string' THEN to_json(e.value #>> '{}')::text
                 WHEN jsonb_typeof(e.value) IN ('boolean', 'null') THEN e.value::text
                 WHEN jsonb_typeof(e.value) = 'number' AND e.value::text ~ '^-?(0|[1-9][0-9]{0,14})$' THEN e.value::text
                 ELSE audit_canonical(e.value)
               END, ',' ORDER BY e.ord), '') || ']'
        INTO out FROM jsonb_array_elements(value) WITH ORDINALITY AS e(value, ord);
      RETURN out;
    WHEN 'string' THEN
      RETURN to_json(value #>> '{}')::text;
    WHEN 'number' THEN
      n := (value #>> '{}')::numeric;
      IF n = 0 THEN
        RETURN '0';
      END IF;
      IF abs(n) >= 1e21 OR abs(n) < 1e-6 OR n <> (n::float8)::text::numeric THEN
        RAISE EXCEPTION 'audit row number % has no canonical form', n USING ERRCODE = '22023';
      END IF;
      RETURN trim_scale(n)::text;
    ELSE
      -- true, false, null
      RETURN value::text;
  END CASE;
END
$$;

CREATE OR REPLACE FUNCTION audit_append(batch jsonb)
  RETURNS TABLE (id uuid, seq bigint, recorded_at text, prev_hash text, hash text)
  LANGUAGE plpgsql
  SECURITY DEFINER
AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  now_text text;
  r jsonb;
  row_text text;
  row_json jsonb;
  row_canonical text;
  row_hash text;
BEGIN
  SELECT c.seq, c.hash INTO head_seq, head_hash FROM audit_chain_head c WHERE c.id = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit chain head is missing';
  END IF;
  -- An empty batch only takes the head lock: the writer's probe of whether commits can happen at all.
  IF jsonb_array_length(batch) = 0 THEN
    RETURN;
  END IF;
  now_text := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
  FOR r IN SELECT value FROM jsonb_array_elements(batch) LOOP
    head_seq := head_seq + 1;
    IF jsonb_typeof(r->'head') IS DISTINCT FROM 'string' OR jsonb_typeof(r->'middle') IS DISTINCT FROM 'string'
       OR jsonb_typeof(r->'tail') IS DISTINCT FROM 'string' THEN
      RAISE EXCEPTION 'audit row must come as the pieces of its canonical JSON' USING ERRCODE = '22023';
    END IF;
    row_text := (r->>'head') || to_json(now_text)::text || (r->>'middle') || to_json(head_seq::text)::text || (r->>'tail');
    BEGIN
      row_json := row_text::jsonb;
    EXCEPTION WHEN OTHERS THEN
      RAISE EXCEPTION 'audit row is not JSON' USING ERRCODE = '22023';
    END;
    -- uuids are stored and read back lower-case: hashed any other way, the row would not verify.
    IF jsonb_typeof(row_json) IS DISTINCT FROM 'object' OR jsonb_typeof(row_json->'id') IS DISTINCT FROM 'string'
       OR (row_json->>'id')::uuid::text <> row_json->>'id'
       OR (jsonb_typeof(row_json->'patientId') = 'string' AND (row_json->>'patientId')::uuid::text <> row_json->>'patientId') THEN
      RAISE EXCEPTION 'audit row ids must be lower-case uuids' USING ERRCODE = '22023';
    END IF;
    -- JavaScript orders keys by UTF-16 unit, the "C" collation by code point: the orders differ only between a
    -- character beyond U+FFFF and one in U+E000..U+FFFF, so a row holding both kinds is refused, never misordered.
    IF row_text ~ '[\U00010000-\U0010FFFF]' AND row_text ~ '[\uE000-\uFFFF]' THEN
      RAISE EXCEPTION 'audit row keys cannot be ordered as JavaScript orders them' USING ERRCODE = '22023';
    END IF;
    -- The row rebuilt from what will be stored, as verification rebuilds it: the twelve fields in their sorted order,
    -- text fields as strings, the database's clock and seq. It must be the very text that is hashed: a field of
    -- another type, an extra or missing key, moved splice points, whitespace or any other spelling is refused.
    row_canonical := '{"action":' || to_json(row_json->>'action')::text
      || ',"actorId":' || to_json(row_json->>'actorId')::text
      || ',"actorRoles":' || (SELECT '[' || coalesce(string_agg(to_json(x)::text, ',' ORDER BY o), '') || ']'
                                FROM jsonb_array_elements_text(row_json->'actorRoles') WITH ORDINALITY AS t(x, o))
      || ',"details":' || audit_canonical(row_json->'details')
      || ',"id":' || to_json(row_json->>'id')::text
      || ',"outcome":' || to_json(row_json->>'outcome')::text
      || ',"patientId":' || coalesce(to_json(row_json->>'patientId')::text, 'null')
      || ',"purposeOfUse":' || to_json(row_json->>'purposeOfUse')::text
      || ',"recordedAt":' || to_json(now_text)::text
      || ',"requestId":' || to_json(row_json->>'requestId')::text
      || ',"seq":' || to_json(head_seq::text)::text
      || ',"target":' || audit_canonical(row_json->'target')
      || '}';
    IF row_canonical IS DISTINCT FROM row_text THEN
      RAISE EXCEPTION 'audit row is not the canonical JSON of the row it would store' USING ERRCODE = '22023';
    END IF;
    row_hash := encode(sha256(convert_to(head_hash || row_text, 'UTF8')), 'hex');
    INSERT INTO audit_event (id, seq, recorded_at, action, outcome, actor_id, actor_roles, patient_id,
                             purpose_of_use, request_id, target, details, prev_hash, hash)
    VALUES ((row_json->>'id')::uuid, head_seq, now_text::timestamptz, row_json->>'action', row_json->>'outcome',
            row_json->>'actorId', ARRAY(SELECT jsonb_array_elements_text(row_json->'actorRoles')),
            (row_json->>'patientId')::uuid, row_json->>'purposeOfUse', row_json->>'requestId',
            NULLIF(row_json->'target', 'null'::jsonb), row_json->'details', head_hash, row_hash);
    id := (row_json->>'id')::uuid;
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

-- A definer function resolves names in its own schema only, temporary objects last (no shadowing); numbers print
-- as the shortest text that reads back exactly, whatever the caller's session says. audit_canonical() runs inside
-- audit_append() only (no SET of its own: it recurses once per JSON value, and a SET costs a save and restore per call).
DO $$
BEGIN
  EXECUTE format('ALTER FUNCTION audit_append(jsonb) SET search_path = %I, pg_temp', current_schema());
  EXECUTE format('ALTER FUNCTION audit_append(jsonb) SET extra_float_digits = 1');
END
$$;
REVOKE ALL ON FUNCTION audit_append(jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_canonical(jsonb) FROM PUBLIC;
