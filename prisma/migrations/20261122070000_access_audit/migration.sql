-- Staff actions outside the workflows that must be accounted for (bank account corrections, unmasked rosters).
CREATE TABLE "AccessAudit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "reason" TEXT,
    "requestId" TEXT,
    "detail" TEXT
);
CREATE INDEX "AccessAudit_subject_at_idx" ON "AccessAudit"("subject", "at");
CREATE INDEX "AccessAudit_at_idx" ON "AccessAudit"("at");
