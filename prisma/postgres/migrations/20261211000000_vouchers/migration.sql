-- 电子培训券: voucher programmes (policy data) and the vouchers issued under them (domain/vouchers.ts).
CREATE TABLE "VoucherProgramme" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VoucherProgramme_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Voucher" (
    "id" TEXT NOT NULL,
    "programmeId" TEXT NOT NULL,
    "personKey" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "issuedBy" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedAt" TIMESTAMP(3),
    "classId" TEXT,
    "enrollmentId" TEXT,
    "redeemedAt" TIMESTAMP(3),
    "expiredAt" TIMESTAMP(3),

    CONSTRAINT "Voucher_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Voucher_programmeId_personKey_key" ON "Voucher"("programmeId", "personKey");
CREATE INDEX "Voucher_personKey_status_idx" ON "Voucher"("personKey", "status");
CREATE INDEX "Voucher_programmeId_status_idx" ON "Voucher"("programmeId", "status");
CREATE INDEX "Voucher_classId_idx" ON "Voucher"("classId");
