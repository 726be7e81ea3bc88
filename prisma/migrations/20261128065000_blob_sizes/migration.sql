-- CreateTable
CREATE TABLE "BlobSize" (
    "digest" TEXT NOT NULL PRIMARY KEY,
    "sizeBytes" BIGINT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

