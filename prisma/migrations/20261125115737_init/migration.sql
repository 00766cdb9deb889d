-- CreateEnum
CREATE TYPE "Consciousness" AS ENUM ('A', 'C', 'V', 'P', 'U');

-- CreateEnum
CREATE TYPE "AdministrationStatus" AS ENUM ('given', 'missed', 'refused', 'held');

-- CreateTable
CREATE TABLE "ward" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "ward_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patient" (
    "id" UUID NOT NULL,
    "mrn" TEXT NOT NULL,
    "given_name" TEXT NOT NULL,
    "family_name" TEXT NOT NULL,
    "birth_date" DATE NOT NULL,
    "ward_id" UUID NOT NULL,
    "bed" TEXT NOT NULL,
    "hypercapnic_respiratory_failure" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "patient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vital_sign_observation" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "taken_at" TIMESTAMPTZ(3) NOT NULL,
    "respiratory_rate" INTEGER,
    "spo2" INTEGER,
    "spo2_scale" SMALLINT NOT NULL DEFAULT 1,
    "on_oxygen" BOOLEAN,
    "systolic_bp" INTEGER,
    "diastolic_bp" INTEGER,
    "heart_rate" INTEGER,
    "consciousness" "Consciousness",
    "temperature_c" DECIMAL(4,1),

    CONSTRAINT "vital_sign_observation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "medication_order" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "drug" TEXT NOT NULL,
    "drug_class" TEXT NOT NULL,
    "dose" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "frequency" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "medication_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "medication_administration" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "administered_at" TIMESTAMPTZ(3),
    "status" "AdministrationStatus" NOT NULL,

    CONSTRAINT "medication_administration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "care_note" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "authored_at" TIMESTAMPTZ(3) NOT NULL,
    "author_role" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "care_note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "recorded_at" TIMESTAMPTZ(6) NOT NULL,
    "action" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_roles" TEXT[],
    "patient_id" UUID,
    "purpose_of_use" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "target" JSONB,
    "details" JSONB NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_chain_head" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_chain_head_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "summary_cache" (
    "patient_id" UUID NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "summary" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "summary_cache_pkey" PRIMARY KEY ("patient_id","fingerprint")
);

-- CreateIndex
CREATE UNIQUE INDEX "ward_code_key" ON "ward"("code");

-- CreateIndex
CREATE UNIQUE INDEX "patient_mrn_key" ON "patient"("mrn");

-- CreateIndex
CREATE INDEX "patient_ward_id_idx" ON "patient"("ward_id");

-- CreateIndex
CREATE INDEX "vital_sign_observation_patient_id_taken_at_idx" ON "vital_sign_observation"("patient_id", "taken_at");

-- CreateIndex
CREATE INDEX "medication_order_patient_id_idx" ON "medication_order"("patient_id");

-- CreateIndex
CREATE INDEX "medication_administration_patient_id_due_at_idx" ON "medication_administration"("patient_id", "due_at");

-- CreateIndex
CREATE INDEX "care_note_patient_id_authored_at_idx" ON "care_note"("patient_id", "authored_at");

-- CreateIndex
CREATE UNIQUE INDEX "audit_event_seq_key" ON "audit_event"("seq");

-- CreateIndex
CREATE INDEX "audit_event_patient_id_seq_idx" ON "audit_event"("patient_id", "seq");

-- CreateIndex
CREATE INDEX "audit_event_actor_id_seq_idx" ON "audit_event"("actor_id", "seq");

-- CreateIndex
CREATE INDEX "audit_event_action_seq_idx" ON "audit_event"("action", "seq");

-- CreateIndex
CREATE INDEX "audit_event_recorded_at_idx" ON "audit_event"("recorded_at");

-- AddForeignKey
ALTER TABLE "patient" ADD CONSTRAINT "patient_ward_id_fkey" FOREIGN KEY ("ward_id") REFERENCES "ward"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vital_sign_observation" ADD CONSTRAINT "vital_sign_observation_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "medication_order" ADD CONSTRAINT "medication_order_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "medication_administration" ADD CONSTRAINT "medication_administration_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "medication_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "medication_administration" ADD CONSTRAINT "medication_administration_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "care_note" ADD CONSTRAINT "care_note_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Audit trail: append-only, enforced by the database (HIPAA 164.312(b), NIST AU-9).
CREATE FUNCTION audit_event_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only: % rejected', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION audit_event_reject_change();
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION audit_event_reject_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_reject_change();

-- The chain starts at seq 0 with the all-zero hash; the head row only ever moves forward.
INSERT INTO "audit_chain_head" ("id", "seq", "hash") VALUES (1, 0, repeat('0', 64));
