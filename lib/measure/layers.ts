// Pure: an image's history, as the engine reports it, -> the layers we store. The
// engine lists history newest first and mixes real layers with metadata-only steps
// (ENV, CMD, ...); we keep the layers, oldest first, with a readable instruction and
// whether the layer came from the final stage's base image.
//
// Which rows are layers is the image config's to say: its history marks every step
// without a layer `empty_layer`, and the other steps are rootfs.diff_ids, in order. A
// step of 0 bytes can be a real layer (a classic-builder WORKDIR that made its
// directory: 0 B in the history, ~100 B pushed), so sizes cannot decide. Only without a
// usable config (none given, or one that does not match the history) do we guess from
// the instruction and size. attachCompressed then gives each layer its measured
// counterpart (compressed size, files) from the push or the export.
import type { ArchiveImage, ArchiveLayer } from "./image-archive";

export interface HistoryRow {
  /** Image ID of this step, or "<missing>" for steps built elsewhere. */
  id: string;
  createdBy: string;
  sizeBytes: number;
}

export interface LayerRecord {
  index: number;
  instruction: string;
  sizeBytes: number;
  fromBase: boolean;
}

export interface BaseImageRef {
  /** Image ID of the final stage's base, when known (not for scratch). */
  id: string | null;
  /** How many history rows the base image has. */
  historyLength: number;
}

const METADATA = /^(CMD|ENTRYPOINT|ENV|LABEL|EXPOSE|USER|ARG|VOLUME|STOPSIGNAL|HEALTHCHECK|SHELL|ONBUILD|MAINTAINER|WORKDIR)\b/;

/** "/bin/sh -c #(nop)  CMD [..]" -> "CMD [..]"; "|1 A=b /bin/sh -c go build" -> "RUN go build". */
export function instructionOf(createdBy: string): string {
  let text = createdBy.trim().replace(/\s+# buildkit$/, "");
  if (!text) return "(no instruction recorded: an imported filesystem)";
  // Build args a RUN sees are recorded as "|<n> k=v k=v ..." first: by the classic builder
  // alone, by BuildKit after "RUN ".
  text = text.replace(/^(RUN\s+)?\|\d+\s+(?:\S+=\S*\s+)*/, "$1");
  const nop = text.match(/^\/bin\/sh -c #\(nop\)\s+(.*)$/s);
  if (nop) return nop[1].trim();
  if (text.startsWith("/bin/sh -c ")) return `RUN ${text.slice("/bin/sh -c ".length).trim()}`;
  if (text.startsWith("RUN /bin/sh -c ")) return `RUN ${text.slice("RUN /bin/sh -c ".length).trim()}`;
  return text;
}

export function isLayer(instruction: string, sizeBytes: number): boolean {
  return sizeBytes > 0 || !METADATA.test(instruction);
}

/** What the image config says of its layers (an ArchiveImage is one): history oldest first, and its layers. */
export interface ConfigLayers {
  history: Array<{ emptyLayer: boolean }>;
  layers: ArrayLike<unknown>;
}

export function toLayers(historyNewestFirst: HistoryRow[], base: BaseImageRef, config?: ConfigLayers): LayerRecord[] {
  const oldestFirst = [...historyNewestFirst].reverse();
  const baseCount = baseRowCount(oldestFirst, base);
  const flags = config && configFlags(oldestFirst, config);
  const layers: LayerRecord[] = [];
  oldestFirst.forEach((row, position) => {
    const instruction = instructionOf(row.createdBy);
    if (!(flags ? flags[position] : isLayer(instruction, row.sizeBytes))) return;
    layers.push({ index: layers.length, instruction, sizeBytes: row.sizeBytes, fromBase: position < baseCount });
  });
  return layers;
}

/** Whether each row (oldest first) is a layer, by the config; null when the config does not fit the history. */
export function configFlags(oldestFirst: unknown[], config: ConfigLayers): boolean[] | null {
  if (config.history.length !== oldestFirst.length) return null;
  const flags = config.history.map((row) => !row.emptyLayer);
  return flags.filter(Boolean).length === config.layers.length ? flags : null;
}

// The base image's rows are the oldest ones. Its own ID in the history marks where it
// ends; when the engine does not report IDs, its history length does.
function baseRowCount(oldestFirst: HistoryRow[], base: BaseImageRef): number {
  if (base.id) {
    const at = oldestFirst.findIndex((row) => row.id === base.id);
    if (at >= 0) return at + 1;
  }
  return Math.min(base.historyLength, oldestFirst.length);
}

export const totalSize = (layers: Pick<LayerRecord, "sizeBytes">[]): number =>
  layers.reduce((sum, layer) => sum + layer.sizeBytes, 0);

/**
 * Maps the archive's layers onto the app's layers (toLayers' rows, oldest first): by
 * position when the counts agree (always, when toLayers was given the archive), else by
 * the config history when that is certain; otherwise compressedBytes and layer are null.
 */
export function attachCompressed<T extends { sizeBytes: number }>(
  layersOldestFirst: T[],
  archive: ArchiveImage,
): Array<T & { compressedBytes: number | null; layer: ArchiveLayer | null }> {
  const positions =
    layersOldestFirst.length === archive.layers.length ? archive.layers.map((_, i) => i) : alignByHistory(layersOldestFirst, archive);
  return layersOldestFirst.map((layer, i) => {
    const at = positions?.[i];
    const matched = at === undefined || at === null ? null : archive.layers[at];
    // A row the app kept that has no layer in the image (a no-op RUN) moved 0 bytes.
    const compressedBytes = matched ? matched.compressedBytes : positions ? 0 : null;
    return { ...layer, compressedBytes, layer: matched };
  });
}

// For layers guessed from the history (toLayers without a config): archive layers
// belong, in order, to the config history rows without empty_layer. The app kept every
// row whose instruction is not metadata-only, plus metadata rows that changed files (a
// classic-builder WORKDIR creating its directory). Those are the only uncertain rows:
// when keeping all or none of them gives the app's count, the alignment is certain;
// otherwise we do not guess. Gives each app layer's archive layer index (null: none).
function alignByHistory(layers: Array<{ sizeBytes: number }>, archive: ArchiveImage): Array<number | null> | null {
  if (archive.history.filter((row) => !row.emptyLayer).length !== archive.layers.length) return null;
  let next = 0;
  const rows = archive.history.map((row) => ({
    at: row.emptyLayer ? null : next++,
    metadata: !isLayer(instructionOf(row.createdBy), 0),
  }));
  const sure = rows.filter((row) => !row.metadata).length;
  const uncertain = rows.filter((row) => row.metadata && row.at !== null).length;
  if (layers.length !== sure && layers.length !== sure + uncertain) return null;
  const keepUncertain = layers.length !== sure;
  const kept = rows.filter((row) => !row.metadata || (row.at !== null && keepUncertain));
  if (kept.some((row, i) => row.at === null && layers[i].sizeBytes > 0)) return null;
  return kept.map((row) => row.at);
}
