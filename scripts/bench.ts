// The performance benchmark: `npm run bench` (or `npm run bench -- P3 P8` for some
// parts), after the README's setup command (base images and the production build).
// Every figure is printed beside a baseline measured in the same run, with the ratio,
// the target and PASS/FAIL, and with the machine it ran on. Timings on a shared machine
// are noisy: compare ratios, not absolute times. Exits non-zero only when the benchmark
// itself could not run (no engine, no build, a comparison that failed), never for a FAIL.
//
// This is the bench's composition root: it reads the configuration once, makes the one
// client of the default engine and hands both down. The parts (scripts/bench/parts.ts):
// P1, P2, P4, P5, P11 engine-part.ts · P3 pages-part.ts · P6 throughput-part.ts ·
// P7 warm-up-part.ts · P8 streams-part.ts · P9 first-load-part.ts.
// Each uses its own databases, size registries, web and worker processes and (P6, P7) a
// second Docker engine, and removes every image, database, process and engine it made.
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConfigError, loadConfig } from "@/lib/config";
import { dockerEngine } from "@/lib/engine/docker-engine";
import { postgresUnavailable } from "@/lib/testing/postgres";
import { benchLog, Cleanup, elapsedSeconds, scoped, type BenchContext } from "./bench/context";
import { BENCH_PREFIX, dockerClientVersion, leftoverBenchImages } from "./bench/docker-cli";
import { engineBench } from "./bench/engine-part";
import { removeImages } from "./bench/images";
import { partsHelp, planOf, type Plan } from "./bench/parts";
import { seconds, table } from "./bench/report";

async function main(): Promise<number> {
  // Like scripts/up.sh and the tests: no registry here, so the local stand-in bases.
  process.env.SLIMSTAGE_BASE_PROFILE ||= "offline";
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  let plan: Plan;
  try {
    plan = planOf(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${partsHelp()}\n`);
    return 2;
  }
  const cleanup = new Cleanup();
  const interrupted = (signal: NodeJS.Signals) => {
    benchLog(`${signal}: cleaning up`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  const ctx: BenchContext = {
    config: loadConfig(),
    stamp: `${BENCH_PREFIX}${Date.now().toString(36)}`,
    rows: [],
    facts: [],
    log: benchLog,
    cleanup,
  };
  let failure: unknown = null;
  try {
    await bench(ctx, plan);
  } catch (error) {
    failure = error;
  } finally {
    benchLog("cleaning up");
    await cleanup.run();
  }
  ctx.facts.push(`load average at the end: ${loadAverage()}; the benchmark took ${seconds(elapsedSeconds())}`);
  print(ctx);
  if (failure) {
    process.stderr.write(`\nThe benchmark could not finish: ${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}\n`);
    return 1;
  }
  return 0;
}

async function bench(ctx: BenchContext, plan: Plan): Promise<void> {
  const { facts, cleanup } = ctx;
  const cpus = os.cpus();
  facts.push(
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory ` +
      `(${(os.freemem() / 2 ** 30).toFixed(1)} GiB free), ${os.type()} ${os.release()} ${os.arch()}`,
    `load average at the start: ${loadAverage()}`,
  );
  if (plan.needsBuild) {
    const buildId = path.join(ctx.config.projectRoot, ".next", "BUILD_ID");
    if (!existsSync(buildId)) {
      throw new Error("There is no production build (.next/BUILD_ID) for P3, P8 and P9: run the README's setup command (bash scripts/up.sh) or `npx next build` first.");
    }
    const id = readFileSync(buildId, "utf8").trim();
    facts.push(`production build: .next ${id}`);
    // Another `next build` replacing .next under the running web processes breaks their pages.
    ctx.cleanup.add("the production build check", async () => {
      const now = existsSync(buildId) ? readFileSync(buildId, "utf8").trim() : "(none)";
      if (now !== id) facts.push(`WARNING: the production build changed during the run (.next ${id} -> ${now}): the page figures may be wrong`);
    });
  }
  const software = [`Node ${process.version}`, `base profile ${ctx.config.baseProfile}`];
  const engine = plan.needsEngine ? dockerEngine() : null;
  if (engine) {
    const version = await engine.version();
    software.push(`Docker Engine ${version.version} (API ${version.apiVersion})`, `docker CLI ${await dockerClientVersion()}`);
    const leftovers = await leftoverBenchImages();
    if (leftovers.length) {
      ctx.log(`removing ${leftovers.length} images left by an earlier benchmark run`);
      await removeImages(engine, leftovers);
    }
  }
  const postgres = plan.pages.includes("postgresql") ? postgresUnavailable() : null;
  facts.push(`software: ${software.join(", ")}${plan.pages.length ? `; PostgreSQL for P3: ${postgres ?? "15, a server of the bench's own"}` : ""}`);

  let warmBuildArgs = { ...ctx.config.moduleBuildArgs };
  // Not scoped: P1's images are the build cache P9's comparison is made from.
  if (engine && plan.engine) warmBuildArgs = (await engineBench(ctx, engine)).warmBuildArgs;
  // The other parts' modules (a browser driver, an HTTP load generator, process helpers)
  // load when their part runs: P5 samples this process during P1, as a build worker would
  // be, and a worker holds none of them.
  if (engine && plan.firstLoad) {
    const { firstLoadBench } = await import("./bench/first-load-part");
    await scoped(cleanup, () => firstLoadBench(ctx, engine, warmBuildArgs));
  }
  if (plan.pages.includes("sqlite") || plan.streams) {
    const { pagesBench } = await import("./bench/pages-part");
    await scoped(cleanup, () => pagesBench(ctx, "sqlite", { p3: plan.pages.includes("sqlite"), streams: plan.streams }));
  }
  if (plan.pages.includes("postgresql")) {
    const { pagesBench } = await import("./bench/pages-part");
    if (postgres) ctx.rows.push({ id: "P3", figure: "PostgreSQL", value: "not run", baseline: "—", ratio: "—", target: "—", verdict: "—", notes: [postgres] });
    else await scoped(cleanup, () => pagesBench(ctx, "postgresql", { p3: true, streams: false }));
  }
  if (engine && (plan.warmUp || plan.throughput)) {
    const { scaleBench } = await import("./bench/scale-part");
    await scoped(cleanup, () => scaleBench(ctx, engine, { warmUp: plan.warmUp, throughput: plan.throughput }));
  }
  if (engine && plan.soak) {
    const { soakBench } = await import("./bench/soak-part");
    await scoped(cleanup, () => soakBench(ctx));
  }
}

function print({ rows, facts }: BenchContext): void {
  const order = (id: string) => Number(id.slice(1));
  const sorted = [...rows].sort((a, b) => order(a.id) - order(b.id));
  const lines = [
    "",
    `Slimstage benchmark — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    ...facts,
    "",
    table(sorted),
    "",
    ...sorted.flatMap((row) => (row.notes ?? []).map((note) => `${row.id}: ${note}`)),
    "",
  ];
  process.stdout.write(lines.join("\n"));
}

const loadAverage = () => os.loadavg().map((n) => n.toFixed(2)).join(" ");

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
