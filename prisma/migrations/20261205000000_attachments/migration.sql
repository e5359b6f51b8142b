-- 附件: documents uploaded to a class (employment contracts, social-insurance proofs, attendance sheets, notice
-- screenshots), kept as uploaded with their SHA-256 (api/routes/attachments.ts).
CREATE TABLE "Attachment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "classId" TEXT NOT NULL,
    "enrollmentId" TEXT,
    "kind" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "mediaType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "content" BLOB NOT NULL,
    "uploadedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "Attachment_classId_createdAt_idx" ON "Attachment"("classId", "createdAt");
CREATE INDEX "Attachment_enrollmentId_idx" ON "Attachment"("enrollmentId");
