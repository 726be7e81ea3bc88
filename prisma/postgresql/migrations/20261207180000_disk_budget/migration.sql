-- AlterTable
ALTER TABLE "Worker" ADD COLUMN     "diskBudgetBytes" BIGINT,
ADD COLUMN     "diskUsedBytes" BIGINT;
