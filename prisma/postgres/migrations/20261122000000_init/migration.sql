-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Institution" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'TRAINING',
    "district" TEXT NOT NULL,
    "creditCode" TEXT NOT NULL,
    "bankAccount" TEXT NOT NULL,
    "validFrom" TEXT NOT NULL,
    "validTo" TEXT NOT NULL,
    "courses" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Institution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Occupation" (
    "code" TEXT NOT NULL,
    "nameZh" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "shortage" BOOLEAN NOT NULL DEFAULT false,
    "newOccupation" BOOLEAN NOT NULL DEFAULT false,
    "catalogVersion" TEXT NOT NULL DEFAULT '2026',

    CONSTRAINT "Occupation_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "OccupationLevel" (
    "occupationCode" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "standardFen" INTEGER NOT NULL,
    "evaluationFen" INTEGER NOT NULL,
    "minHours" INTEGER NOT NULL,

    CONSTRAINT "OccupationLevel_pkey" PRIMARY KEY ("occupationCode","level")
);

-- CreateTable
CREATE TABLE "PolicyVersion" (
    "id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "effectiveFrom" TEXT NOT NULL,
    "document" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarDay" (
    "date" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CalendarDay_pkey" PRIMARY KEY ("date")
);

-- CreateTable
CREATE TABLE "CalendarYear" (
    "year" INTEGER NOT NULL,
    "announcedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CalendarYear_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "institutionId" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "institutionId" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Person" (
    "personKey" TEXT NOT NULL,
    "idNumberEnc" TEXT NOT NULL,
    "nameEnc" TEXT NOT NULL,
    "birthDate" TEXT NOT NULL,
    "sex" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("personKey")
);

-- CreateTable
CREATE TABLE "SubsidyRecord" (
    "id" TEXT NOT NULL,
    "personKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "occupationCode" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "periodStart" TEXT NOT NULL,
    "periodEnd" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SubsidyRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingClass" (
    "id" TEXT NOT NULL,
    "institutionId" TEXT NOT NULL,
    "occupationCode" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "policyVersionId" TEXT NOT NULL,
    "plannedStart" TEXT NOT NULL,
    "plannedEnd" TEXT NOT NULL,
    "classHours" INTEGER NOT NULL,
    "capacity" INTEGER NOT NULL,
    "commitment" BOOLEAN NOT NULL DEFAULT false,
    "plan" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3),
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "escalated" BOOLEAN NOT NULL DEFAULT false,
    "traineeCount" INTEGER NOT NULL DEFAULT 0,
    "passedCount" INTEGER NOT NULL DEFAULT 0,
    "certifiedCount" INTEGER NOT NULL DEFAULT 0,
    "employedCount" INTEGER NOT NULL DEFAULT 0,
    "advancedFen" INTEGER NOT NULL DEFAULT 0,
    "paidFen" INTEGER NOT NULL DEFAULT 0,
    "recoveredFen" INTEGER NOT NULL DEFAULT 0,
    "lastEventSeq" INTEGER NOT NULL DEFAULT 0,
    "stageSince" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingClass_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectionEvent" (
    "workflowId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "appliedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectionEvent_pkey" PRIMARY KEY ("workflowId","seq")
);

-- CreateTable
CREATE TABLE "Enrollment" (
    "id" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "personKey" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ENROLLED',
    "attendedHours" INTEGER NOT NULL DEFAULT 0,
    "assessment" TEXT,
    "certificateNo" TEXT,
    "employed" BOOLEAN,
    "tier" TEXT,
    "amountFen" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Enrollment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AttendanceRecord" (
    "id" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "enrollmentId" TEXT NOT NULL,
    "lessonDate" TEXT NOT NULL,
    "lessonNo" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "hours" INTEGER NOT NULL,

    CONSTRAINT "AttendanceRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmploymentEvidence" (
    "id" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "enrollmentId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "employedOn" TEXT NOT NULL,
    "employer" TEXT,
    "fileRef" TEXT,
    "verdict" TEXT,
    "verifiedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmploymentEvidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SubsidyLine" (
    "id" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "enrollmentId" TEXT,
    "payee" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "tier" TEXT,
    "pct" INTEGER,
    "amountFen" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "remark" TEXT,
    "noticeId" TEXT,

    CONSTRAINT "SubsidyLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PublicNotice" (
    "id" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "round" INTEGER NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL,
    "closesAt" TIMESTAMP(3) NOT NULL,
    "endDate" TEXT NOT NULL,
    "provisional" BOOLEAN NOT NULL DEFAULT false,
    "rows" TEXT NOT NULL,
    "status" TEXT NOT NULL,

    CONSTRAINT "PublicNotice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Objection" (
    "id" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "noticeId" TEXT NOT NULL,
    "lineId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "contact" TEXT,
    "status" TEXT NOT NULL,
    "resolution" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Objection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentBatch" (
    "id" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "totalFen" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "approvedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PaymentBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Payment" (
    "id" TEXT NOT NULL,
    "batchId" TEXT NOT NULL,
    "payee" TEXT NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "bankRef" TEXT,
    "failure" TEXT,
    "paidAt" TIMESTAMP(3),

    CONSTRAINT "Payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "institutionId" TEXT NOT NULL,
    "occupationCode" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "assignee" TEXT,
    "dueAt" TIMESTAMP(3),
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "escalated" BOOLEAN NOT NULL DEFAULT false,
    "subject" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "classId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "detail" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StageCount" (
    "stage" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "StageCount_pkey" PRIMARY KEY ("stage")
);

-- CreateIndex
CREATE UNIQUE INDEX "Institution_creditCode_key" ON "Institution"("creditCode");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "Session"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- CreateIndex
CREATE INDEX "ApiKey_institutionId_idx" ON "ApiKey"("institutionId");

-- CreateIndex
CREATE INDEX "SubsidyRecord_personKey_status_idx" ON "SubsidyRecord"("personKey", "status");

-- CreateIndex
CREATE INDEX "SubsidyRecord_classId_idx" ON "SubsidyRecord"("classId");

-- CreateIndex
CREATE INDEX "TrainingClass_institutionId_stage_idx" ON "TrainingClass"("institutionId", "stage");

-- CreateIndex
CREATE INDEX "TrainingClass_stage_dueAt_idx" ON "TrainingClass"("stage", "dueAt");

-- CreateIndex
CREATE INDEX "TrainingClass_overdue_dueAt_idx" ON "TrainingClass"("overdue", "dueAt");

-- CreateIndex
CREATE INDEX "Enrollment_personKey_idx" ON "Enrollment"("personKey");

-- CreateIndex
CREATE UNIQUE INDEX "Enrollment_classId_personKey_key" ON "Enrollment"("classId", "personKey");

-- CreateIndex
CREATE INDEX "AttendanceRecord_classId_idx" ON "AttendanceRecord"("classId");

-- CreateIndex
CREATE INDEX "EmploymentEvidence_classId_idx" ON "EmploymentEvidence"("classId");

-- CreateIndex
CREATE INDEX "EmploymentEvidence_enrollmentId_idx" ON "EmploymentEvidence"("enrollmentId");

-- CreateIndex
CREATE INDEX "SubsidyLine_classId_idx" ON "SubsidyLine"("classId");

-- CreateIndex
CREATE INDEX "SubsidyLine_status_idx" ON "SubsidyLine"("status");

-- CreateIndex
CREATE INDEX "PublicNotice_status_closesAt_idx" ON "PublicNotice"("status", "closesAt");

-- CreateIndex
CREATE INDEX "PublicNotice_classId_idx" ON "PublicNotice"("classId");

-- CreateIndex
CREATE INDEX "Objection_classId_idx" ON "Objection"("classId");

-- CreateIndex
CREATE INDEX "PaymentBatch_classId_idx" ON "PaymentBatch"("classId");

-- CreateIndex
CREATE INDEX "PaymentBatch_status_idx" ON "PaymentBatch"("status");

-- CreateIndex
CREATE INDEX "Payment_batchId_idx" ON "Payment"("batchId");

-- CreateIndex
CREATE INDEX "Task_status_role_dueAt_id_idx" ON "Task"("status", "role", "dueAt", "id");

-- CreateIndex
CREATE INDEX "Task_status_overdue_dueAt_idx" ON "Task"("status", "overdue", "dueAt");

-- CreateIndex
CREATE INDEX "Task_classId_idx" ON "Task"("classId");

-- CreateIndex
CREATE INDEX "AuditEvent_classId_seq_idx" ON "AuditEvent"("classId", "seq");

-- AddForeignKey
ALTER TABLE "OccupationLevel" ADD CONSTRAINT "OccupationLevel_occupationCode_fkey" FOREIGN KEY ("occupationCode") REFERENCES "Occupation"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_institutionId_fkey" FOREIGN KEY ("institutionId") REFERENCES "Institution"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "PaymentBatch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

