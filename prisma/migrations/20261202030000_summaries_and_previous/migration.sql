-- AlterTable
ALTER TABLE "Variant" ADD COLUMN "analysisSummary" TEXT;

-- CreateIndex
CREATE INDEX "Comparison_repo_status_createdAt_idx" ON "Comparison"("repo", "status", "createdAt");
