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
