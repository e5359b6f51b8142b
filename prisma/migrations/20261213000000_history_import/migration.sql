-- 历史数据导入: a closed class imported from the predecessor system carries that system's name and its number
-- there (null for every class SkillFlow runs); importing the same one twice finds it.
-- AlterTable
ALTER TABLE "TrainingClass" ADD COLUMN "importSource" TEXT;
ALTER TABLE "TrainingClass" ADD COLUMN "importRef" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "TrainingClass_importSource_importRef_key" ON "TrainingClass"("importSource", "importRef");
