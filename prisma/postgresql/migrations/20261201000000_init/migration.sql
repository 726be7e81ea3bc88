-- CreateTable
CREATE TABLE "Comparison" (
    "id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "phase" TEXT,
    "repo" TEXT NOT NULL,
    "ref" TEXT,
    "commit" TEXT,
    "subdir" TEXT,
    "mainPackage" TEXT,
    "variantKeys" TEXT,
    "runArgs" TEXT,
    "runEnv" TEXT,
    "module" TEXT,
    "goVersion" TEXT,
    "needsTzdata" BOOLEAN NOT NULL DEFAULT false,
    "needsCaRoots" BOOLEAN NOT NULL DEFAULT false,
    "needsCgo" BOOLEAN NOT NULL DEFAULT false,
    "notes" TEXT NOT NULL DEFAULT '[]',
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "workerId" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "engineId" TEXT,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "ownerTokenHash" TEXT,
    "clientKey" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "Comparison_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Variant" (
    "id" SERIAL NOT NULL,
    "comparisonId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "naive" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "reason" TEXT,
    "dockerfile" TEXT NOT NULL,
    "baseImages" TEXT NOT NULL DEFAULT '[]',
    "imageId" TEXT,
    "sizeBytes" BIGINT,
    "compressedBytes" BIGINT,
    "buildSeconds" DOUBLE PRECISION,
    "buildLog" TEXT NOT NULL DEFAULT '',
    "runVerdict" TEXT,
    "runExitCode" INTEGER,
    "runOutput" TEXT,
    "runDiagnosis" TEXT,
    "analysis" TEXT,

    CONSTRAINT "Variant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Layer" (
    "id" SERIAL NOT NULL,
    "variantId" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,
    "instruction" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "compressedBytes" BIGINT,
    "fromBase" BOOLEAN NOT NULL DEFAULT false,
    "digest" TEXT,

    CONSTRAINT "Layer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BlobFiles" (
    "digest" TEXT NOT NULL,
    "files" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BlobFiles_pkey" PRIMARY KEY ("digest")
);

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL,
    "engineId" TEXT NOT NULL,
    "engineHost" TEXT NOT NULL,
    "engineVersion" TEXT,
    "problem" TEXT,
    "baseImages" TEXT NOT NULL DEFAULT '[]',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Worker_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ImageRemoval" (
    "id" SERIAL NOT NULL,
    "engineId" TEXT NOT NULL,
    "imageId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImageRemoval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeCounter" (
    "id" INTEGER NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "ChangeCounter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BlobSize" (
    "digest" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BlobSize_pkey" PRIMARY KEY ("digest")
);

-- CreateTable
CREATE TABLE "LayerSizeCache" (
    "key" TEXT NOT NULL,
    "sizeBytes" BIGINT,
    "compressedBytes" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LayerSizeCache_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Comparison_createdAt_idx" ON "Comparison"("createdAt");

-- CreateIndex
CREATE INDEX "Comparison_status_createdAt_idx" ON "Comparison"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Comparison_repo_createdAt_idx" ON "Comparison"("repo", "createdAt");

-- CreateIndex
CREATE INDEX "Comparison_status_clientKey_idx" ON "Comparison"("status", "clientKey");

-- CreateIndex
CREATE UNIQUE INDEX "Variant_comparisonId_key_key" ON "Variant"("comparisonId", "key");

-- CreateIndex
CREATE INDEX "Layer_variantId_index_idx" ON "Layer"("variantId", "index");

-- CreateIndex
CREATE INDEX "ImageRemoval_engineId_idx" ON "ImageRemoval"("engineId");

-- AddForeignKey
ALTER TABLE "Variant" ADD CONSTRAINT "Variant_comparisonId_fkey" FOREIGN KEY ("comparisonId") REFERENCES "Comparison"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Layer" ADD CONSTRAINT "Layer_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "Variant"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The change counter the response cache reads (lib/response-cache): its one row.
INSERT INTO "ChangeCounter" ("id", "version") VALUES (1, 0);
