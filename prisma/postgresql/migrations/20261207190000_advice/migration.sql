-- "Make it smaller, proven" (lib/advice): prisma migrate diff from the schema before it.
-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN     "adviceError" TEXT,
ADD COLUMN     "advicePhase" TEXT,
ADD COLUMN     "adviceStatus" TEXT DEFAULT 'queued',
ADD COLUMN     "adviceSummary" TEXT;

-- CreateTable
CREATE TABLE "AdviceStep" (
    "id" SERIAL NOT NULL,
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
    "buildSeconds" DOUBLE PRECISION,
    "startMs" DOUBLE PRECISION,
    "memoryBytes" BIGINT,
    "dockerfile" TEXT,
    "patch" TEXT,
    "command" TEXT,
    "diagnosis" TEXT,
    "runOutput" TEXT,

    CONSTRAINT "AdviceStep_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AdviceStep_comparisonId_position_idx" ON "AdviceStep"("comparisonId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "AdviceStep_comparisonId_key_key" ON "AdviceStep"("comparisonId", "key");

-- AddForeignKey
ALTER TABLE "AdviceStep" ADD CONSTRAINT "AdviceStep_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Comparisons made before advice existed never get any: null says so (new rows get "queued").
UPDATE "Comparison" SET "adviceStatus" = NULL;
