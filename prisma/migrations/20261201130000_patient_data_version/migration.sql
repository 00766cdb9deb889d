-- A per-patient data version kept by the database: any change to a patient's row or to any row of its observations,
-- medication orders, administrations or care notes gives the patient a new version. A cached read compares one
-- number (an index lookup) instead of re-loading and re-scoring the week (src/services/week-memo.ts). Versions come
-- from one sequence: never reused, not even by a patient deleted and created again.
CREATE SEQUENCE "patient_data_version_seq";
ALTER TABLE "patient" ADD COLUMN "data_version" BIGINT NOT NULL DEFAULT nextval('patient_data_version_seq');

-- The patient's own columns (ward, bed, names, the scale-2 flag): a new version unless a child trigger set one.
CREATE FUNCTION patient_data_version_own() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.data_version IS NOT DISTINCT FROM OLD.data_version THEN
    NEW.data_version := nextval('patient_data_version_seq');
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER patient_data_version_own BEFORE UPDATE ON "patient" FOR EACH ROW EXECUTE FUNCTION patient_data_version_own();

-- The child tables, once per statement (a bulk insert bumps each patient once), from the transition tables.
CREATE FUNCTION patient_data_version_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "patient" SET data_version = nextval('patient_data_version_seq') WHERE id IN (SELECT DISTINCT patient_id FROM new_rows);
  RETURN NULL;
END $$;
CREATE FUNCTION patient_data_version_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "patient" SET data_version = nextval('patient_data_version_seq')
   WHERE id IN (SELECT patient_id FROM old_rows UNION SELECT patient_id FROM new_rows);
  RETURN NULL;
END $$;
CREATE FUNCTION patient_data_version_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "patient" SET data_version = nextval('patient_data_version_seq') WHERE id IN (SELECT DISTINCT patient_id FROM old_rows);
  RETURN NULL;
END $$;
CREATE FUNCTION patient_data_version_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "patient" SET data_version = nextval('patient_data_version_seq');
  RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['vital_sign_observation', 'medication_order', 'medication_administration', 'care_note'] LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION patient_data_version_inserted()', t || '_version_ins', t);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION patient_data_version_updated()', t || '_version_upd', t);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION patient_data_version_deleted()', t || '_version_del', t);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION patient_data_version_truncated()', t || '_version_trunc', t);
  END LOOP;
END $$;
