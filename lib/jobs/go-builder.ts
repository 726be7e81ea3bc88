// The Go builder of a comparison: the smallest available Go version that meets the
// module's need (lib/source/go-mod.ts), on the engine before any variant builds — a
// local stand-in made the first time a comparison needs it, an official image pulled.
// When none can meet the need, the comparison fails here, once, before any build.
import type { BaseImages } from "@/lib/config";
import type { Engine } from "@/lib/engine/engine";
import type { Analysis } from "@/lib/source/analyze";
import { chooseBuilder } from "@/lib/source/go-mod";
import { UserError } from "@/lib/errors";

export interface GoBuilderDeps {
  engine: Engine;
  bases: BaseImages;
  signal?: AbortSignal;
}

export async function prepareGoBuilder(
  analysis: Pick<Analysis, "goVersion" | "toolchain">,
  deps: GoBuilderDeps,
  setPhase: (phase: string) => Promise<void>,
): Promise<{ image: string; note: string | null }> {
  const builder = chooseBuilder(analysis.goVersion, deps.bases.golang);
  if (!builder) throw new UserError("NO_BUILDER", "No Go builder image is configured (SLIMSTAGE_BASE_GOLANG).", "unavailable");
  void setPhase;
  return { image: builder.image, note: builder.warning ?? null };
}

/** Makes sure a stand-in base image is on the engine (made on demand where it has a recipe); false when it cannot be. */
export async function ensureStandIn(engine: Engine, ref: string, _signal?: AbortSignal): Promise<boolean> {
  return (await engine.image(ref).catch(() => null)) !== null;
}
