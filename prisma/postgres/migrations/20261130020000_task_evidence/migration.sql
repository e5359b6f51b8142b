-- A verification task names its evidence in a column, not inside its id.
ALTER TABLE "Task" ADD COLUMN "evidenceId" TEXT;
UPDATE "Task" SET "evidenceId" = substr("id", length("classId") + length(':VERIFY_EMPLOYMENT:') + 1)
  WHERE "kind" = 'VERIFY_EMPLOYMENT' AND "evidenceId" IS NULL;
