// Which run-check containers a crash left behind. A run check removes its container
// whatever happens, unless the process dies first (kill -9, power loss): then a "server"
// image runs forever. Each run-check container is labelled with its role, the worker
// that started it (when the worker says) and the time by which it must be gone; the
// start-up sweep removes what no live run check can still own. Pure: the engine lists
// the containers and removes what this says.
import { LABEL_APP, LABEL_EXPIRES, LABEL_OWNER, LABEL_ROLE, ROLE_RUN_CHECK } from "./engine";

/** Seconds past its time limit a run check may still need (inspect, output, removal). */
export const RUN_CHECK_GRACE_SECONDS = 120;

export function runCheckLabels(nowSeconds: number, timeoutSeconds: number, owner?: string): Record<string, string> {
  return {
    [LABEL_ROLE]: ROLE_RUN_CHECK,
    [LABEL_EXPIRES]: String(Math.ceil(nowSeconds + timeoutSeconds + RUN_CHECK_GRACE_SECONDS)),
    ...(owner ? { [LABEL_OWNER]: owner } : {}),
  };
}

export interface ListedContainer {
  labels: Record<string, string>;
  /** The engine's state: "created", "running", "exited", ... */
  state: string;
}

/**
 * Without `owner` (one worker per engine), every run-check container is left over at
 * start-up. With it (several workers share the engine), only this worker's own and
 * those past their time, so another worker's live run check is never cut short.
 */
export function isLeftBehind(container: ListedContainer, nowSeconds: number, owner?: string): boolean {
  const { labels, state } = container;
  if (labels[LABEL_APP] !== "slimstage") return false;
  const role = labels[LABEL_ROLE];
  // Containers of the app without a role are either run checks made before roles were
  // labelled or a build's own step containers; the latter are only ever "created" (the
  // build's LABEL step) for an instant, and must not be touched.
  if (role === undefined) return state !== "created";
  if (role !== ROLE_RUN_CHECK) return false;
  if (owner === undefined) return true;
  if (labels[LABEL_OWNER] === owner) return true;
  const expires = Number(labels[LABEL_EXPIRES]);
  return !Number.isFinite(expires) || expires < nowSeconds;
}
