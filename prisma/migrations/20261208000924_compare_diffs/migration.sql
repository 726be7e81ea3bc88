-- What changed from one comparison to the next, stored when the later one finishes (lib/jobs/finish-diff.ts). Not kept by the response cache: no trigger.
-- CreateTable
CREATE TABLE "ComparisonDiff" (
    "beforeId" TEXT NOT NULL,
    "afterId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "result" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("beforeId", "afterId"),
    CONSTRAINT "ComparisonDiff_beforeId_fkey" FOREIGN KEY ("beforeId") REFERENCES "Comparison" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ComparisonDiff_afterId_fkey" FOREIGN KEY ("afterId") REFERENCES "Comparison" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ComparisonDiff_afterId_idx" ON "ComparisonDiff"("afterId");

