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
// the instruction and size.

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
  // Classic builder: build args used by a RUN are recorded as "|<n> k=v k=v ..." first.
  text = text.replace(/^\|\d+\s+(?:\S+=\S*\s+)*/, "");
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
