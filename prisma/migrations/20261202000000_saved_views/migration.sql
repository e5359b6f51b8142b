-- Saved inbox views (待办视图): a named filter and sort shared by everyone of one role.
CREATE TABLE "SavedView" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "role" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "SavedView_role_createdAt_idx" ON "SavedView"("role", "createdAt");
CREATE UNIQUE INDEX "SavedView_role_name_key" ON "SavedView"("role", "name");
