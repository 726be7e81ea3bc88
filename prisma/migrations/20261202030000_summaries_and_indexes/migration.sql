-- AlterTable
ALTER TABLE "Variant" ADD COLUMN "analysisSummary" TEXT;

-- DropIndex
DROP INDEX "Comparison_repo_createdAt_idx";

-- CreateIndex
CREATE INDEX "Comparison_repo_createdAt_id_status_ref_commit_finishedAt_idx" ON "Comparison"("repo", "createdAt", "id", "status", "ref", "commit", "finishedAt");

-- CreateIndex
CREATE INDEX "Comparison_repo_status_createdAt_idx" ON "Comparison"("repo", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Comparison_clientKey_startedAt_idx" ON "Comparison"("clientKey", "startedAt");
