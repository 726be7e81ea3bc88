-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN "runArgs" TEXT;
ALTER TABLE "Comparison" ADD COLUMN "runEnv" TEXT;

