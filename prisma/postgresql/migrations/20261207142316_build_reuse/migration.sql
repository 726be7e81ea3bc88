-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN     "buildKey" TEXT,
ADD COLUMN     "rebuild" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "reusedFrom" TEXT;

-- CreateIndex
CREATE INDEX "Comparison_buildKey_status_createdAt_idx" ON "Comparison"("buildKey", "status", "createdAt");

