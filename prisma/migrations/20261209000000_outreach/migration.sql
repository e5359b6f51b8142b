-- 政策找人: the registry of people looking for work or training, ranked for outreach, and the invitations to classes.
CREATE TABLE "Registrant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "personKey" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "district" TEXT NOT NULL,
    "registeredOn" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "Registrant_personKey_key" ON "Registrant"("personKey");
CREATE INDEX "Registrant_priority_registeredOn_id_idx" ON "Registrant"("priority", "registeredOn", "id");
CREATE INDEX "Registrant_district_priority_registeredOn_id_idx" ON "Registrant"("district", "priority", "registeredOn", "id");

CREATE TABLE "Invitation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "classId" TEXT NOT NULL,
    "registrantId" TEXT NOT NULL,
    "personKey" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "sentBy" TEXT NOT NULL,
    "sentAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "respondedAt" DATETIME
);
CREATE UNIQUE INDEX "Invitation_classId_personKey_key" ON "Invitation"("classId", "personKey");
CREATE INDEX "Invitation_personKey_sentAt_idx" ON "Invitation"("personKey", "sentAt");
