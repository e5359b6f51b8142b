-- 个人查询: one-time codes (hashed) and short self-service sessions for a person to see their own record, and the
-- outbox of the simulated delivery channel (api/routes/selfService.ts, api/messages.ts).
CREATE TABLE "SelfServiceCode" (
    "id" TEXT NOT NULL,
    "personKey" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SelfServiceCode_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "SelfServiceCode_personKey_createdAt_idx" ON "SelfServiceCode"("personKey", "createdAt");

CREATE TABLE "SelfServiceSession" (
    "tokenHash" TEXT NOT NULL,
    "personKey" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SelfServiceSession_pkey" PRIMARY KEY ("tokenHash")
);

CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "OutboxMessage_recipient_createdAt_idx" ON "OutboxMessage"("recipient", "createdAt");
