-- 公示档案: what the public notice archive searches, copied from the class when a notice is published;
-- notices published before this are filled in from their class here.
ALTER TABLE "PublicNotice" ADD COLUMN "title" TEXT NOT NULL DEFAULT '';
ALTER TABLE "PublicNotice" ADD COLUMN "institutionId" TEXT NOT NULL DEFAULT '';
ALTER TABLE "PublicNotice" ADD COLUMN "institutionName" TEXT NOT NULL DEFAULT '';
ALTER TABLE "PublicNotice" ADD COLUMN "occupationCode" TEXT NOT NULL DEFAULT '';
ALTER TABLE "PublicNotice" ADD COLUMN "occupationName" TEXT NOT NULL DEFAULT '';
ALTER TABLE "PublicNotice" ADD COLUMN "district" TEXT NOT NULL DEFAULT '';

UPDATE "PublicNotice" SET
  "title" = COALESCE((SELECT c."title" FROM "TrainingClass" c WHERE c."id" = "PublicNotice"."classId"), ''),
  "institutionId" = COALESCE((SELECT c."institutionId" FROM "TrainingClass" c WHERE c."id" = "PublicNotice"."classId"), ''),
  "occupationCode" = COALESCE((SELECT c."occupationCode" FROM "TrainingClass" c WHERE c."id" = "PublicNotice"."classId"), ''),
  "district" = COALESCE((SELECT c."district" FROM "TrainingClass" c WHERE c."id" = "PublicNotice"."classId"), '');
UPDATE "PublicNotice" SET
  "institutionName" = COALESCE((SELECT i."name" FROM "Institution" i WHERE i."id" = "PublicNotice"."institutionId"), ''),
  "occupationName" = COALESCE((SELECT o."nameZh" FROM "Occupation" o WHERE o."code" = "PublicNotice"."occupationCode"), '');

CREATE INDEX "PublicNotice_status_publishedAt_idx" ON "PublicNotice"("status", "publishedAt");
CREATE INDEX "PublicNotice_publishedAt_idx" ON "PublicNotice"("publishedAt");
