-- AlterTable
ALTER TABLE "Comparison" ADD COLUMN     "mainPackages" TEXT;

