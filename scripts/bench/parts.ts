// Which parts of the benchmark a run measures: `npm run bench -- P3 P8` names them,
// nothing means all. Some figures come from one piece of work and are measured
// together (P1, P2, P4, P5 and P11 share the comparisons of the engine part). Pure.

export const PARTS = {
  P1: "full comparison (cold, warm) against a plain docker build, with the analysis's share",
  P2: "compressed sizes of a new image against docker save | gzip -1",
  P3: "page latency with 10,000 comparisons: uncached pages as ratios to the floor, cached answers, SQLite and PostgreSQL",
  P4: "smallest working variant against the binary and the data it needs",
  P5: "peak RSS of the bench process during P1",
  P6: "throughput: comparisons per minute with one worker, and two workers on two engines",
  P7: "compressed sizes of a first comparison on a fresh engine after its worker's warm-up",
  P8: "200 live-progress streams on one running comparison: its page's latency, the server's growth",
  P9: "first-load JavaScript of the comparison page",
  P10: "soak: 50 comparisons in a row on one engine under a small disk budget",
  P11: "a repeat submission (the same build) answered from the database",
} as const;

export type PartId = keyof typeof PARTS;

/** The work each group of parts shares. */
export interface Plan {
  /** P1, P2, P4, P5: the comparisons and builds on the default engine. */
  engine: boolean;
  /** P3 on these databases. */
  pages: Array<"sqlite" | "postgresql">;
  streams: boolean;
  firstLoad: boolean;
  warmUp: boolean;
  throughput: boolean;
  soak: boolean;
  /** Whether the Docker Engine is needed at all. */
  needsEngine: boolean;
  /** Whether the production build (.next) is needed. */
  needsBuild: boolean;
}

const ENGINE_PARTS: readonly PartId[] = ["P1", "P2", "P4", "P5", "P11"];

export function planOf(args: readonly string[]): Plan {
  const asked = args.map((arg) => arg.trim().toUpperCase()).filter(Boolean);
  const unknown = asked.filter((arg) => !(arg in PARTS));
  if (unknown.length) {
    throw new Error(`Unknown benchmark part ${unknown.join(", ")}: name ${Object.keys(PARTS).join(", ")}, or nothing for all.`);
  }
  const wants = (id: PartId) => asked.length === 0 || asked.includes(id);
  const engine = ENGINE_PARTS.some(wants);
  const pages: Plan["pages"] = wants("P3") ? ["sqlite", "postgresql"] : [];
  const plan = {
    engine,
    pages,
    streams: wants("P8"),
    firstLoad: wants("P9"),
    warmUp: wants("P7"),
    throughput: wants("P6"),
    soak: wants("P10"),
  };
  return {
    ...plan,
    needsEngine: plan.engine || plan.firstLoad || plan.warmUp || plan.throughput || plan.soak,
    needsBuild: plan.pages.length > 0 || plan.streams || plan.firstLoad,
  };
}

/** The usage line for a bad argument. */
export function partsHelp(): string {
  return Object.entries(PARTS)
    .map(([id, what]) => `  ${id}  ${what}`)
    .join("\n");
}
