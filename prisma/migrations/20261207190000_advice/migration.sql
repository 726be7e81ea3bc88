-- "Make it smaller, proven" (lib/advice). Columns added with ALTER TABLE (a rebuilt table would
-- lose the change-counter triggers); the advice pages are not kept by the response cache,
-- so no trigger is needed for them.
-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN "adviceError" TEXT;
ALTER TABLE "Comparison" ADD COLUMN "advicePhase" TEXT;
ALTER TABLE "Comparison" ADD COLUMN "adviceStatus" TEXT DEFAULT 'queued';
ALTER TABLE "Comparison" ADD COLUMN "adviceSummary" TEXT;

-- CreateTable
CREATE TABLE "AdviceStep" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "comparisonId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "why" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'planned',
    "reason" TEXT,
    "sizeBytes" BIGINT,
    "compressedBytes" BIGINT,
    "buildSeconds" REAL,
    "startMs" REAL,
    "memoryBytes" BIGINT,
    "dockerfile" TEXT,
    "patch" TEXT,
    "command" TEXT,
    "diagnosis" TEXT,
    "runOutput" TEXT,
    CONSTRAINT "AdviceStep_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "AdviceStep_comparisonId_position_idx" ON "AdviceStep"("comparisonId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "AdviceStep_comparisonId_key_key" ON "AdviceStep"("comparisonId", "key");


-- Comparisons made before advice existed never get any: null says so (new rows get "queued").
UPDATE "Comparison" SET "adviceStatus" = NULL;
