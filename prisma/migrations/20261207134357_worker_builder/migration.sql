-- AlterTable
ALTER TABLE "Worker" ADD COLUMN "builder" TEXT;

