// What a comparison offers next, decided from its stored view alone (pure, table-tested):
// after an engine error or a time limit, the same submission again; after bad input, the
// home form filled in to correct it (and, for a monorepo without go.mod at the root, each
// module folder as a one-click choice); with several main packages, each of them.
// A succeeded comparison that built the module root over helper packages offers those.
import type { ComparisonView } from "@/lib/comparisons/types";
import { correctionFor, correctionHref, type Submitted } from "./corrections";

/** Codes after which the same submission may well succeed. */
const RETRY_CODES = new Set(["ENGINE_UNAVAILABLE", "INTERRUPTED", "TIME_LIMIT", "INTERNAL", "CLONE_TIMEOUT"]);
const MAIN_PACKAGE_CODES = new Set(["SEVERAL_MAIN_PACKAGES", "UNKNOWN_MAIN_PACKAGE"]);
/** Variant keys the API takes; the `-naive` twins follow from their variant. */
const SUBMITTABLE_VARIANTS = new Set(["single", "alpine", "scratch", "distroless", "repo"]);
const MAX_MODULE_CHOICES = 12;

export interface Resubmission extends Submitted {
  variants?: string[];
}

export interface Choice {
  label: string;
  body: Resubmission;
  testId: string;
}

export interface NextSteps {
  /** One sentence above the choices. */
  lead: string;
  /** Each starts a new comparison in one click. */
  choices: Choice[];
  /** The home form filled in, with the field in error marked. */
  correct: { href: string; explanation: string } | null;
}

type Plannable = Pick<ComparisonView, "status" | "repo" | "ref" | "subdir" | "mainPackage" | "mainPackages" | "error" | "variants">;

export function resubmissionOf(comparison: Plannable): Resubmission {
  const { repo, ref, subdir, mainPackage } = comparison;
  const variants = comparison.variants.map((variant) => variant.key).filter((key) => SUBMITTABLE_VARIANTS.has(key));
  return {
    repo,
    ...(ref ? { ref } : {}),
    ...(subdir ? { subdir } : {}),
    ...(mainPackage ? { mainPackage } : {}),
    ...(variants.length > 0 ? { variants } : {}),
  };
}

export function planNextSteps(comparison: Plannable): NextSteps | null {
  const same = resubmissionOf(comparison);
  const { mainPackages, status } = comparison;
  if (status === "succeeded") {
    if (comparison.mainPackage !== "." || mainPackages.length < 2) return null;
    const others = mainPackages.filter((pkg) => pkg !== ".");
    return {
      lead: "The module's other main packages can be compared too:",
      choices: others.map((pkg) => mainPackageChoice(same, pkg, `Compare ${pkg} on its own`)),
      correct: null,
    };
  }
  if (status === "canceled") {
    return { lead: "This comparison was canceled before it finished.", choices: [{ label: "Submit again", body: same, testId: "next-step-again" }], correct: null };
  }
  if (status !== "failed") return null;

  const code = comparison.error?.code ?? "INTERNAL";
  const correction = correctionFor(code);
  const correct = correction ? { href: correctionHref(same, code), explanation: correction.explanation } : null;
  if (MAIN_PACKAGE_CODES.has(code) && mainPackages.length > 0) {
    return {
      lead: "Choose the main package to compare:",
      choices: mainPackages.map((pkg) => mainPackageChoice(same, pkg, pkg === "." ? "Compare . (the module root)" : `Compare ${pkg}`)),
      correct,
    };
  }
  if (code === "NO_GO_MOD") {
    const dirs = moduleFolders(comparison.error?.message ?? "");
    if (dirs.length > 0) {
      // Another module has main packages of its own: the one named here belongs to none of them.
      const { repo, ref, variants } = same;
      const base: Resubmission = { repo, ...(ref ? { ref } : {}), ...(variants ? { variants } : {}) };
      return {
        lead: "Choose the module to compare:",
        choices: dirs.map((dir) => ({ label: `Compare ${dir}`, body: { ...base, subdir: dir }, testId: `next-step-subdir-${dir}` })),
        correct,
      };
    }
  }
  const retry = RETRY_CODES.has(code) || !correction;
  return {
    lead: retry ? (Object.hasOwn(RETRY_LEADS, code) ? RETRY_LEADS[code] : RETRY_LEADS.INTERNAL) : "The submission needs a change:",
    choices: retry ? [{ label: "Try again", body: same, testId: "next-step-retry" }] : [],
    correct,
  };
}

const RETRY_LEADS: Record<string, string> = {
  ENGINE_UNAVAILABLE: "The Docker Engine could not be reached; once it is back, the same submission may work.",
  INTERRUPTED: "The server stopped while it built this comparison; the same submission may work now.",
  TIME_LIMIT: "The comparison ran out of time; it may finish when the server is less busy.",
  CLONE_TIMEOUT: "Fetching the repository took too long; it may be quicker now, or with a specific branch or tag.",
  INTERNAL: "Something went wrong on the server; the same submission may work now.",
};

function mainPackageChoice(same: Resubmission, pkg: string, label: string): Choice {
  return { label, body: { ...same, mainPackage: pkg }, testId: `next-step-main-${pkg}` };
}

/** The module folders NO_GO_MOD's message lists (lib/source/resolve.ts): "Go modules in this repository: a, b. Set subdir…". */
export function moduleFolders(message: string): string[] {
  const listed = /Go modules in this repository: (.+?)\. Set subdir to one of them\./.exec(message)?.[1];
  if (!listed) return [];
  // Plain relative folders only: the list reaches a button's label and a new submission.
  const dirs = listed.split(", ").filter((dir) => /^[\w.-]+(\/[\w.-]+)*$/.test(dir) && !dir.split("/").includes(".."));
  return [...new Set(dirs)].slice(0, MAX_MODULE_CHOICES);
}
