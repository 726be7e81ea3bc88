-- CreateTable
CREATE TABLE "LayerSizeCache" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "sizeBytes" BIGINT,
    "compressedBytes" BIGINT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

