// What /api/health reports: the database, the engine, and which configured base images
// the engine has.
import { baseImages } from "@/lib/config";
import { db } from "@/lib/db";
import { dockerEngine } from "@/lib/engine/docker-engine";

export interface Health {
  ok: boolean;
  db: { ok: boolean; error?: string };
  engine: { ok: boolean; version?: string; apiVersion?: string; error?: string };
  baseImages: Array<{ base: string; image: string; present: boolean }>;
}

export async function checkHealth(): Promise<Health> {
  const database = await db()
    .$queryRaw`SELECT 1`
    .then(() => ({ ok: true }), (error: unknown) => ({ ok: false, error: String(error instanceof Error ? error.message : error) }));
  const engine = dockerEngine();
  const version = await engine.version().then(
    (v) => ({ ok: true, version: v.version, apiVersion: v.apiVersion }),
    (error: unknown) => ({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
  const bases = baseImages();
  const wanted = [
    ...Object.entries(bases.golang).map(([version, image]) => ({ base: `golang ${version}`, image })),
    { base: "alpine", image: bases.alpine },
    { base: "static", image: bases.static },
  ];
  const images = await Promise.all(
    wanted.map(async (entry) => ({
      ...entry,
      present: version.ok ? Boolean(await engine.image(entry.image).catch(() => null)) : false,
    })),
  );
  return { ok: database.ok && version.ok, db: database, engine: version, baseImages: images };
}

// The home page asks on every render whether the engine answers; a few seconds' memory
// of the answer keeps that from costing a round trip to the engine per request.
let engineMemo: { at: number; answer: Promise<string | null> } | null = null;

/** Why the engine cannot be used (null when it answers), remembered for `maxAgeMs`. */
export function engineProblemCached(maxAgeMs = 5000): Promise<string | null> {
  const now = Date.now();
  if (!engineMemo || now - engineMemo.at > maxAgeMs) {
    const answer = dockerEngine()
      .version()
      .then(
        () => null,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
    engineMemo = { at: now, answer };
  }
  return engineMemo.answer;
}
