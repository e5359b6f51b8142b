-- 个人查询: one-time codes (hashed) and short self-service sessions for a person to see their own record, and the
-- outbox of the simulated delivery channel (api/routes/selfService.ts, api/messages.ts).
CREATE TABLE "SelfServiceCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personKey" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "SelfServiceCode_personKey_createdAt_idx" ON "SelfServiceCode"("personKey", "createdAt");

CREATE TABLE "SelfServiceSession" (
    "tokenHash" TEXT NOT NULL PRIMARY KEY,
    "personKey" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "OutboxMessage_recipient_createdAt_idx" ON "OutboxMessage"("recipient", "createdAt");
