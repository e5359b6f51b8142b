-- 电子培训券: voucher programmes (policy data) and the vouchers issued under them (domain/vouchers.ts).
CREATE TABLE "VoucherProgramme" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "occupationCodes" TEXT NOT NULL,
    "levels" TEXT NOT NULL,
    "categories" TEXT NOT NULL,
    "institutionIds" TEXT NOT NULL,
    "validFrom" TEXT NOT NULL,
    "validUntil" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "fundingChannel" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "Voucher" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "programmeId" TEXT NOT NULL,
    "personKey" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "issuedBy" TEXT NOT NULL,
    "issuedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedAt" DATETIME,
    "classId" TEXT,
    "enrollmentId" TEXT,
    "redeemedAt" DATETIME,
    "expiredAt" DATETIME
);
CREATE UNIQUE INDEX "Voucher_programmeId_personKey_key" ON "Voucher"("programmeId", "personKey");
CREATE INDEX "Voucher_personKey_status_idx" ON "Voucher"("personKey", "status");
CREATE INDEX "Voucher_programmeId_status_idx" ON "Voucher"("programmeId", "status");
CREATE INDEX "Voucher_classId_idx" ON "Voucher"("classId");
