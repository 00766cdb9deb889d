-- A claim names its owner's database session (the instance's LISTEN connection): a claim whose session is gone
-- (the instance died, and PostgreSQL closed its connections) is free at once, whatever its expiry; a live owner that
-- renews late (a loaded machine) keeps it. Rows without an owner session fall back to the expiry alone.
ALTER TABLE "summary_claim" ADD COLUMN "owner_pid" INTEGER, ADD COLUMN "owner_started" TIMESTAMPTZ(6);
