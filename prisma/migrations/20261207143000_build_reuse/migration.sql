-- Written by hand as ALTER TABLE (Prisma's diff rebuilds the table, which would drop the
-- change-counter triggers of 20261201130000_change_counter_triggers); the same columns.
ALTER TABLE "Comparison" ADD COLUMN "buildKey" TEXT;
ALTER TABLE "Comparison" ADD COLUMN "reusedFrom" TEXT;
ALTER TABLE "Comparison" ADD COLUMN "rebuild" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Comparison_buildKey_status_createdAt_idx" ON "Comparison"("buildKey", "status", "createdAt");
