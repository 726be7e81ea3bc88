// Pure: what a comparison will build, decided from its analysis before anything is
// built — the main package, the Go builder, the notes a reader sees first and one job
// per generated variant. The pipeline records the plan (state.ts recordPlan) and then
// schedules the jobs; the repository's own Dockerfile joins them there (it needs reads).
import type { BaseImages } from "@/lib/config";
import type { BuildPlan, VariantKey } from "@/lib/dockerfiles/generate";
import { planVariants, VARIANT_KEYS, type PlannedVariant } from "@/lib/dockerfiles/plan";
import { selectMainPackage, type Analysis } from "@/lib/source/analyze";

export type PlanKey = VariantKey | "repo";

export interface PlannedJob extends Omit<PlannedVariant, "dockerfile"> {
  /** The generated Dockerfile, or null for the repository's own. */
  dockerfile: string | null;
  /** What the page shows and a reader copies. */
  displayDockerfile: string;
  /** The repository's Dockerfile as it is built (syntax line left out, stand-ins); null: as it is. */
  ownDockerfile?: string | null;
  /** Shown on the variant even when it builds (stand-ins, the built-in frontend). */
  note?: string | null;
  /** Why it is not built at all (refused before building). */
  refusal?: string | null;
}

export interface PlanInput {
  analysis: Analysis;
  requestedMainPackage: string | null;
  /** The variant keys asked for (JSON of the row; null: all). */
  variantKeys: string | null;
  bases: BaseImages;
  /** The Go builder chosen for the module (lib/source/go-mod.ts). */
  builder: { image: string; note?: string | null };
  engineBuilder: "buildkit" | "classic";
  hasGoSum: boolean;
  /** Names the BuildKit caches of this source and settings (cache-scope.ts); null: the targets' defaults. */
  cacheScope?: string | null;
}

export interface ComparisonPlan {
  mainPackage: string;
  notes: string[];
  plan: BuildPlan;
  jobs: PlannedJob[];
  wantsRepo: boolean;
}

const CGO_NOTE =
  'The program uses cgo (import "C"), so its binary links the C library dynamically: ' +
  "the scratch, distroless and Alpine variants cannot run it unless it is built with CGO_ENABLED=0.";

export function planComparison(input: PlanInput): ComparisonPlan {
  const { analysis } = input;
  const { mainPackage, note: mainPackageNote } = selectMainPackage(analysis, input.requestedMainPackage);
  const notes = [mainPackageNote, input.builder.note, analysis.needs.cgo ? CGO_NOTE : null].filter((n): n is string => Boolean(n));
  const plan: BuildPlan = {
    builderImage: input.builder.image,
    mainPackage,
    hasGoSum: input.hasGoSum,
    vendored: analysis.vendored,
    needs: analysis.needs,
    builder: input.engineBuilder,
  };
  const wanted = parseKeys(input.variantKeys);
  const generated = wanted.filter((key): key is VariantKey => key !== "repo");
  // Built with the caches named; shown (and copied) without the names, which are this server's.
  const shown = planVariants(generated, plan, input.bases);
  const jobs = planVariants(generated, { ...plan, cacheScope: input.cacheScope ?? null }, input.bases).map((v, i) => ({
    ...v,
    displayDockerfile: shown[i].dockerfile,
  }));
  return { mainPackage, notes, plan, jobs, wantsRepo: wanted.includes("repo") };
}

export function parseKeys(text: string | null): PlanKey[] {
  const all: PlanKey[] = [...VARIANT_KEYS, "repo"];
  if (!text) return all;
  try {
    const keys = JSON.parse(text) as unknown;
    return Array.isArray(keys) ? all.filter((k) => keys.includes(k)) : all;
  } catch {
    return all;
  }
}
