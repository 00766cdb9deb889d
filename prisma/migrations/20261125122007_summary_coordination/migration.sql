-- CreateTable
CREATE TABLE "summary_claim" (
    "patient_id" UUID NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "claimed_by" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "summary_claim_pkey" PRIMARY KEY ("patient_id","fingerprint")
);

-- CreateTable
CREATE TABLE "prewarm_run" (
    "ward_id" UUID NOT NULL,
    "slot" TEXT NOT NULL,
    "started_by" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "summaries" INTEGER,
    "failures" INTEGER,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "prewarm_run_pkey" PRIMARY KEY ("ward_id","slot")
);

-- CreateIndex
CREATE INDEX "summary_cache_created_at_idx" ON "summary_cache"("created_at");
