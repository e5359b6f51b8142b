-- 培训绩效评估: the trainees' satisfaction survey (one per enrolment), and the index the performance report reads
-- the classes of a period by (api/performance.ts).
CREATE TABLE "SatisfactionSurvey" (
    "enrollmentId" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "institutionId" TEXT NOT NULL,
    "teaching" INTEGER NOT NULL,
    "practice" INTEGER NOT NULL,
    "overall" INTEGER NOT NULL,
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SatisfactionSurvey_pkey" PRIMARY KEY ("enrollmentId")
);
CREATE INDEX "SatisfactionSurvey_classId_idx" ON "SatisfactionSurvey"("classId");

CREATE INDEX "TrainingClass_plannedEnd_idx" ON "TrainingClass"("plannedEnd");
