-- Who asked for a prewarm run: a token's subject for an on-demand run, shiftnote-prewarm for the schedule's own.
ALTER TABLE "prewarm_run" ADD COLUMN "requested_by" TEXT;
