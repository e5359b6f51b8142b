-- The booked assessment body as an indexed column (the assessor's class list), backfilled from the plan;
-- open tasks by age (the dashboard's ageing buckets).
ALTER TABLE "TrainingClass" ADD COLUMN "assessmentBodyId" TEXT NOT NULL DEFAULT '';
UPDATE "TrainingClass" SET "assessmentBodyId" = COALESCE(json_extract("plan", '$.assessmentBodyId'), '');
CREATE INDEX "TrainingClass_assessmentBodyId_stage_idx" ON "TrainingClass"("assessmentBodyId", "stage");
CREATE INDEX "Task_status_createdAt_idx" ON "Task"("status", "createdAt");
