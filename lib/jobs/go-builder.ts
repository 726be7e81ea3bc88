// The Go builder of a comparison: the smallest available Go version that meets the
// module's need (lib/source/go-mod.ts: the larger of its go and toolchain lines, and its
// workspace's), on the engine before any variant builds — a local stand-in made the first
// time a comparison needs it (lib/engine/standin-builders.ts, shown in the live progress),
// an official image pulled. When none can meet the need, the comparison fails here, once,
// before any build (GO_TOO_NEW). Stand-ins are also what a repository's own Dockerfile
// builds on when its official base cannot be pulled (repo-job.ts).
import type { BaseImages } from "@/lib/config";
import { BuildFailedError, PullFailedError, type Engine } from "@/lib/engine/engine";
import { ensureBuilderImage, isStandinBuilder, StandinUnavailableError } from "@/lib/engine/standin-builders";
import { UserError } from "@/lib/errors";
import { chooseGoBuilder, goNeed, goTooNewError, newestGoBuilder, parseGoMod } from "@/lib/source/go-mod";
import type { Analysis } from "@/lib/source/analyze";

export interface GoBuilderDeps {
  engine: Engine;
  bases: BaseImages;
  signal?: AbortSignal;
}

export async function prepareGoBuilder(
  analysis: Pick<Analysis, "goVersion" | "toolchain">,
  goWork: string | null,
  deps: GoBuilderDeps,
  setPhase: (phase: string) => Promise<void>,
): Promise<{ image: string; note: string | null }> {
  const need = goNeed(analysis, goWork ? parseGoMod(goWork) : null);
  const choice = chooseGoBuilder(need, deps.bases);
  if (choice.kind === "none") throw goTooNewError(choice);
  const tooNew = (pullFailure?: { image: string; reason: string }) => goTooNewError({ need, newest: newestGoBuilder(deps.bases.golang) }, pullFailure);
  if (await deps.engine.image(choice.image)) return { image: choice.image, note: null };

  if (isStandinBuilder(choice.image)) {
    await setPhase(`preparing the Go ${choice.version} builder, first time on this engine`);
    await makeStandIn(deps.engine, choice.image, deps.signal, () => tooNew());
  } else if (choice.fromPattern) {
    // Newer than the table: the official image of that minor, when the engine can pull it.
    await setPhase(`pulling the Go ${choice.version} builder (${choice.image})`);
    try {
      await deps.engine.pull(choice.image, () => {}, deps.signal);
    } catch (error) {
      if (error instanceof PullFailedError) throw tooNew({ image: choice.image, reason: error.message });
      throw error;
    }
  }
  // An official image in the table that is missing is pulled with each variant's bases, as before.
  return { image: choice.image, note: null };
}

/** Makes sure a stand-in base image is on the engine (made on demand where it has a recipe); false when it cannot be. */
export async function ensureStandIn(engine: Engine, ref: string, signal?: AbortSignal): Promise<boolean> {
  if (await engine.image(ref).catch(() => null)) return true;
  if (!isStandinBuilder(ref)) return false;
  try {
    await ensureBuilderImage(engine, ref, { onProgress: () => {}, signal });
    return true;
  } catch (error) {
    if (error instanceof StandinUnavailableError || error instanceof BuildFailedError) return false;
    throw error;
  }
}

async function makeStandIn(engine: Engine, ref: string, signal: AbortSignal | undefined, noRecipe: () => UserError): Promise<void> {
  try {
    await ensureBuilderImage(engine, ref, { onProgress: () => {}, signal });
  } catch (error) {
    if (error instanceof StandinUnavailableError && error.problem === "no-recipe") throw noRecipe();
    if (error instanceof StandinUnavailableError || error instanceof BuildFailedError) {
      throw new UserError("BUILDER_UNAVAILABLE", `The Go builder ${ref} could not be made on this engine: ${error.message}`, "unavailable");
    }
    throw error;
  }
}

