-- The timeline in time order across the class and its follow-up children (each numbers its own events),
-- naming the trainee an event concerns. Rows written before get their workflow id back from their id.
ALTER TABLE "AuditEvent" ADD COLUMN "workflowId" TEXT NOT NULL DEFAULT '';
ALTER TABLE "AuditEvent" ADD COLUMN "enrollmentId" TEXT;
UPDATE "AuditEvent" SET "workflowId" = substr("id", 1, length("id") - length(CAST("seq" AS TEXT)) - 1);
DROP INDEX "AuditEvent_classId_seq_idx";
CREATE INDEX "AuditEvent_classId_at_seq_idx" ON "AuditEvent"("classId", "at", "seq");
