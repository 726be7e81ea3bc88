// In-memory stores for the size registry, for tests and tools: the app keeps the same
// things in its database (BlobSize, and layer listings by digest).
import type { LayerFiles } from "./layer-files";
import type { BlobSizes, LayerFileStore } from "./size-registry";

export function memoryBlobSizes(): BlobSizes & { map: Map<string, number> } {
  const map = new Map<string, number>();
  return { map, get: async (digest) => map.get(digest) ?? null, put: async (digest, size) => void map.set(digest, size) };
}

export function memoryLayerFiles(): LayerFileStore & { map: Map<string, LayerFiles> } {
  const map = new Map<string, LayerFiles>();
  // Stored as a copy, as a database would: a caller changing its listing changes nothing here.
  const copy = (files: LayerFiles): LayerFiles => structuredClone(files);
  return {
    map,
    getFiles: async (digest) => {
      const files = map.get(digest);
      return files ? copy(files) : null;
    },
    putFiles: async (digest, files) => void map.set(digest, copy(files)),
  };
}
