-- 看板 counters kept by the projection (domain/tally.ts). Existing rows are counted once at start-up
-- (activities/tallies.ts ensureTallies), not here: the month of a change is computed in TypeScript.
CREATE TABLE "ClassTally" (
    "institutionId" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "opened" INTEGER NOT NULL DEFAULT 0,
    "closed" INTEGER NOT NULL DEFAULT 0,
    "assessed" INTEGER NOT NULL DEFAULT 0,
    "passed" INTEGER NOT NULL DEFAULT 0,
    "certified" INTEGER NOT NULL DEFAULT 0,
    "followedUp" INTEGER NOT NULL DEFAULT 0,
    "employed" INTEGER NOT NULL DEFAULT 0,
    "advancedFen" BIGINT NOT NULL DEFAULT 0,
    "paidFen" BIGINT NOT NULL DEFAULT 0,
    "recoveredFen" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "ClassTally_pkey" PRIMARY KEY ("institutionId", "district", "month")
);
CREATE INDEX "ClassTally_month_idx" ON "ClassTally"("month");

CREATE TABLE "StageTally" (
    "institutionId" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "overdue" INTEGER NOT NULL DEFAULT 0,
    "escalated" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "StageTally_pkey" PRIMARY KEY ("institutionId", "district", "stage")
);

-- The dashboard filtered by district or institution reads its task aggregate from these (covering) indexes.
CREATE INDEX "Task_dashboard_district_idx" ON "Task"("status", "district", "createdAt", "overdue", "escalated", "assignee");
CREATE INDEX "Task_dashboard_institution_idx" ON "Task"("status", "institutionId", "createdAt", "overdue", "escalated", "assignee");
