-- The dashboard filtered by district or institution: overdue tasks per caseworker and the stuck cases read only
-- the place's overdue rows (at 100,000 classes, 2.1 ms and 0.9 ms per view before).
-- CreateIndex
CREATE INDEX "Task_overdue_district_idx" ON "Task"("status", "district", "overdue", "assignee");

-- CreateIndex
CREATE INDEX "Task_overdue_institution_idx" ON "Task"("status", "institutionId", "overdue", "assignee");

-- CreateIndex
CREATE INDEX "TrainingClass_district_overdue_dueAt_idx" ON "TrainingClass"("district", "overdue", "dueAt");

-- CreateIndex
CREATE INDEX "TrainingClass_institutionId_overdue_dueAt_idx" ON "TrainingClass"("institutionId", "overdue", "dueAt");

-- A district's open tasks from the TaskTally index alone (the dashboard's task counts).
-- DropIndex
DROP INDEX "TaskTally_district_day_idx";

-- CreateIndex
CREATE INDEX "TaskTally_district_day_open_overdue_escalated_idx" ON "TaskTally"("district", "day", "open", "overdue", "escalated");
