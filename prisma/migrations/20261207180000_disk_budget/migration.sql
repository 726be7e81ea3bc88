-- AlterTable
ALTER TABLE "Worker" ADD COLUMN "diskBudgetBytes" BIGINT;
ALTER TABLE "Worker" ADD COLUMN "diskUsedBytes" BIGINT;
