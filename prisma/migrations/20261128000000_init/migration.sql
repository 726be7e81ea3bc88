-- CreateTable
CREATE TABLE "Comparison" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "phase" TEXT,
    "repo" TEXT NOT NULL,
    "ref" TEXT,
    "commit" TEXT,
    "subdir" TEXT,
    "mainPackage" TEXT,
    "variantKeys" TEXT,
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
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "Variant" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "comparisonId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "naive" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "reason" TEXT,
    "dockerfile" TEXT NOT NULL,
    "baseImages" TEXT NOT NULL DEFAULT '[]',
    "imageId" TEXT,
    "sizeBytes" BIGINT,
    "compressedBytes" BIGINT,
    "buildSeconds" REAL,
    "buildLog" TEXT NOT NULL DEFAULT '',
    "runVerdict" TEXT,
    "runExitCode" INTEGER,
    "runOutput" TEXT,
    "runDiagnosis" TEXT,
    CONSTRAINT "Variant_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Layer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "variantId" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "instruction" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "compressedBytes" BIGINT,
    "fromBase" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Layer_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "Variant" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Comparison_createdAt_idx" ON "Comparison"("createdAt");

-- CreateIndex
CREATE INDEX "Comparison_status_createdAt_idx" ON "Comparison"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Comparison_repo_createdAt_idx" ON "Comparison"("repo", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Variant_comparisonId_key_key" ON "Variant"("comparisonId", "key");

-- CreateIndex
CREATE INDEX "Layer_variantId_index_idx" ON "Layer"("variantId", "index");

