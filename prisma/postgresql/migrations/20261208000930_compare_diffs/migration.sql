-- CreateTable
CREATE TABLE "ComparisonDiff" (
    "beforeId" TEXT NOT NULL,
    "afterId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "result" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ComparisonDiff_pkey" PRIMARY KEY ("beforeId","afterId")
);

-- CreateIndex
CREATE INDEX "ComparisonDiff_afterId_idx" ON "ComparisonDiff"("afterId");

-- AddForeignKey
ALTER TABLE "ComparisonDiff" ADD CONSTRAINT "ComparisonDiff_beforeId_fkey" FOREIGN KEY ("beforeId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComparisonDiff" ADD CONSTRAINT "ComparisonDiff_afterId_fkey" FOREIGN KEY ("afterId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;

