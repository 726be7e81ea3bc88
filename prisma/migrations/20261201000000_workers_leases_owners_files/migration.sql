-- AlterTable
ALTER TABLE "Variant" ADD COLUMN "analysis" TEXT;

-- AlterTable
ALTER TABLE "Layer" ADD COLUMN "digest" TEXT;

-- CreateTable
CREATE TABLE "BlobFiles" (
    "digest" TEXT NOT NULL PRIMARY KEY,
    "files" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "engineId" TEXT NOT NULL,
    "engineHost" TEXT NOT NULL,
    "engineVersion" TEXT,
    "problem" TEXT,
    "baseImages" TEXT NOT NULL DEFAULT '[]',
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ImageRemoval" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "engineId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ChangeCounter" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" BIGINT NOT NULL DEFAULT 0
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Comparison" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "phase" TEXT,
    "repo" TEXT NOT NULL,
    "ref" TEXT,
    "commit" TEXT,
    "subdir" TEXT,
    "mainPackage" TEXT,
    "variantKeys" TEXT,
    "runArgs" TEXT,
    "runEnv" TEXT,
    "module" TEXT,
    "goVersion" TEXT,
    "needsTzdata" BOOLEAN NOT NULL DEFAULT false,
    "needsCaRoots" BOOLEAN NOT NULL DEFAULT false,
    "needsCgo" BOOLEAN NOT NULL DEFAULT false,
    "notes" TEXT NOT NULL DEFAULT '[]',
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "workerId" TEXT,
    "leaseUntil" DATETIME,
    "engineId" TEXT,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "ownerTokenHash" TEXT,
    "clientKey" TEXT NOT NULL DEFAULT ''
);
INSERT INTO "new_Comparison" ("attempts", "commit", "createdAt", "errorCode", "errorMessage", "finishedAt", "goVersion", "id", "mainPackage", "module", "needsCaRoots", "needsCgo", "needsTzdata", "notes", "phase", "ref", "repo", "runArgs", "runEnv", "startedAt", "status", "subdir", "variantKeys") SELECT "attempts", "commit", "createdAt", "errorCode", "errorMessage", "finishedAt", "goVersion", "id", "mainPackage", "module", "needsCaRoots", "needsCgo", "needsTzdata", "notes", "phase", "ref", "repo", "runArgs", "runEnv", "startedAt", "status", "subdir", "variantKeys" FROM "Comparison";
DROP TABLE "Comparison";
ALTER TABLE "new_Comparison" RENAME TO "Comparison";
CREATE INDEX "Comparison_createdAt_idx" ON "Comparison"("createdAt");
CREATE INDEX "Comparison_status_createdAt_idx" ON "Comparison"("status", "createdAt");
CREATE INDEX "Comparison_repo_createdAt_idx" ON "Comparison"("repo", "createdAt");
CREATE INDEX "Comparison_status_clientKey_idx" ON "Comparison"("status", "clientKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ImageRemoval_engineId_idx" ON "ImageRemoval"("engineId");

INSERT INTO "ChangeCounter" ("id", "version") VALUES (1, 0);
