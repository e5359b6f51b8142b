-- 看板: open tasks counted per place and opening day, kept by the projection (activities/tallies.ts); counted
-- from the Task rows at the worker's start when empty (ensureTallies).
CREATE TABLE "TaskTally" (
    "institutionId" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "open" INTEGER NOT NULL DEFAULT 0,
    "overdue" INTEGER NOT NULL DEFAULT 0,
    "escalated" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("institutionId", "district", "day")
);
CREATE INDEX "TaskTally_district_day_idx" ON "TaskTally"("district", "day");
