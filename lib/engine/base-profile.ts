// Which base profile a machine can use, found by asking its engine: `official` when the
// engine has or can pull the official Go builder and static base, else `offline` (the
// local stand-ins) when they exist or can be made here, else a stop with the two ways
// out. The first command (scripts/choose-profile.ts) asks this when
// SLIMSTAGE_BASE_PROFILE is not set; the decision itself is pure and table-tested.
import type { BaseProfile } from "@/lib/config";
import { PullFailedError, type Engine } from "./engine";
import { PULL_FAILURE_WORDS, type PullFailureKind } from "./pull-errors";

export type BaseAvailability =
  | { ref: string; state: "present" | "pulled" }
  | { ref: string; state: "failed"; kind: PullFailureKind | "no-answer"; reason: string };

export type StandIns = { state: "present" } | { state: "can-make" } | { state: "cannot-make"; why: string; notDebian: boolean };

export type ProfileChoice = { profile: BaseProfile; why: string; warning?: string } | { profile: null; why: string };

/**
 * Whether the engine has each image or can pull it. A registry that has not answered
 * (no first progress event) within `answerWithinMs` counts as unreachable; once it
 * answers, the pull runs to the end, so the first comparison finds the image there.
 */
export async function probeBases(
  engine: Pick<Engine, "image" | "pull">,
  refs: string[],
  { answerWithinMs = 60_000, onProgress = () => {} }: { answerWithinMs?: number; onProgress?: (ref: string, line: string) => void } = {},
): Promise<BaseAvailability[]> {
  return Promise.all(
    refs.map(async (ref): Promise<BaseAvailability> => {
      if (await engine.image(ref)) return { ref, state: "present" };
      const noAnswer = new AbortController();
      const timer = setTimeout(() => noAnswer.abort(), answerWithinMs);
      try {
        await engine.pull(ref, (line) => (clearTimeout(timer), onProgress(ref, line)), noAnswer.signal);
        return { ref, state: "pulled" };
      } catch (error) {
        if (noAnswer.signal.aborted) {
          return { ref, state: "failed", kind: "no-answer", reason: `no registry answered for ${ref} within ${Math.round(answerWithinMs / 1000)} s` };
        }
        // The short form: the variant's advice on what to do does not fit a profile's "why".
        if (error instanceof PullFailedError) return { ref, state: "failed", kind: error.kind, reason: `${PULL_FAILURE_WORDS[error.kind]}: ${error.detail || error.message}` };
        throw error;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
}

const had = (base: BaseAvailability) => (base.state === "present" ? `has ${base.ref}` : base.state === "pulled" ? `pulled ${base.ref}` : "");

/** The profile to use, and why, from what the engine could get and whether stand-ins can be had. */
export function chooseBaseProfile(builder: BaseAvailability, staticBase: BaseAvailability, standIns: StandIns): ProfileChoice {
  const failed = [builder, staticBase].filter((base) => base.state === "failed");
  if (failed.length === 0) return { profile: "official", why: `the engine ${had(builder)} and ${had(staticBase)}` };
  const cannot = failed.map((base) => `${base.ref} (${base.state === "failed" ? base.reason : ""})`).join("; ");
  if (standIns.state === "present") return { profile: "offline", why: `the engine cannot pull ${cannot}; the local stand-ins are there` };
  if (standIns.state === "can-make") {
    return { profile: "offline", why: `the engine cannot pull ${cannot}; making the local stand-ins from Debian packages (scripts/base-images.sh)` };
  }
  if (builder.state !== "failed") {
    return {
      profile: "official",
      why: `the engine ${had(builder)}`,
      warning: `it cannot pull ${cannot}, and ${standIns.why}: the distroless variant will be skipped with that reason`,
    };
  }
  const standInWay = standIns.notDebian
    ? "make the stand-ins on a Debian machine (as root: bash scripts/base-images.sh) and load them into this engine (docker save slimstage/golang:1.23-local slimstage/static:local | docker load)"
    : "make the stand-ins once as root (sudo bash scripts/base-images.sh), then run this again as yourself";
  return {
    profile: null,
    why:
      `The engine cannot pull the official base images: ${cannot}. The local stand-ins cannot be made either: ${standIns.why}. Two ways out:\n` +
      `  1. Let the engine pull the official images: give it network access to the registry, or a registry mirror (dockerd --registry-mirror), or load them into it (docker load); then run this again.\n` +
      `  2. Use the local stand-ins: ${standInWay}.`,
  };
}
