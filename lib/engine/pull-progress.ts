// The engine's own pull progress, turned into build-log lines a person can follow. A
// pull streams an event per chunk per layer (thousands for a Go image); the log keeps
// each layer's changes of state and a line per fifth of its download and extraction,
// so the live panel moves without flooding the log or the database row.
import { formatBytes } from "@/lib/format";

/** One event of the engine's pull stream (Docker Engine and Podman send the same shape). */
export interface PullEvent {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

// States shown once per layer; anything else without a byte count is shown as it comes.
const QUIET = new Set(["Waiting", "Verifying Checksum"]);
const STEPS = 5;

/**
 * Returns a function that takes each event and gives the lines to log for it (often
 * none). `started()` tells whether any layer has begun to download.
 */
export function pullProgress(): { lines: (event: PullEvent) => string[]; started: () => boolean } {
  const shown = new Map<string, number>(); // "layer phase" -> last step shown
  const retryingLayers = new Set<string>();
  let started = false;
  return {
    started: () => started,
    lines(event) {
      const status = event.status?.trim();
      if (!status) return [];
      const id = event.id?.trim();
      const prefix = id ? `${id}: ` : "";
      const { current, total } = event.progressDetail ?? {};
      // A broken layer counts down "Retrying in 5 seconds", "... 4 seconds", ...: its first line says it.
      const retrying = /^Retrying in \d+ seconds?$/.test(status);
      const wasRetrying = id !== undefined && retryingLayers.has(id);
      if (id !== undefined) retryingLayers[retrying ? "add" : "delete"](id);
      if (retrying) shown.delete(`${id} Downloading`); // the retry downloads the layer from its start
      if (status === "Downloading" || status === "Extracting") {
        if (status === "Downloading") started = true;
        if (!id || !current || !total || total <= 0) return [];
        const step = Math.min(STEPS, Math.floor((current / total) * STEPS));
        const key = `${id} ${status}`;
        if ((shown.get(key) ?? -1) >= step) return [];
        shown.set(key, step);
        return [`${prefix}${status} ${formatBytes(current)} of ${formatBytes(total)}`];
      }
      if (QUIET.has(status)) return [];
      if (retrying && wasRetrying) return [];
      if (status === "Download complete" || status === "Pull complete") started = true;
      return [`${prefix}${status}`];
    },
  };
}
