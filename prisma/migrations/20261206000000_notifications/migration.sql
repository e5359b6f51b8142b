-- 消息中心: what a case event tells whom (domain/notifications.ts), written by the projection with the event;
-- what each user has read, one by one or up to a watermark (api/routes/notifications.ts).
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "classId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "organisationId" TEXT,
    "userId" TEXT,
    "enrollmentId" TEXT,
    "reason" TEXT,
    "at" DATETIME NOT NULL
);
CREATE INDEX "Notification_role_organisationId_at_idx" ON "Notification"("role", "organisationId", "at");
CREATE INDEX "Notification_classId_idx" ON "Notification"("classId");

CREATE TABLE "NotificationRead" (
    "userId" TEXT NOT NULL,
    "notificationId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,

    PRIMARY KEY ("userId", "notificationId")
);
CREATE INDEX "NotificationRead_userId_at_idx" ON "NotificationRead"("userId", "at");

CREATE TABLE "NotificationWatermark" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "until" DATETIME NOT NULL
);
