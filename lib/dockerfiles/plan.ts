// Pure: which variants a comparison builds, with their Dockerfiles and base images.
import type { BaseImages } from "@/lib/config";
import { dockerfileFor, hasFixes, variantName, type BuildPlan, type VariantKey, type VariantSpec } from "./generate";

export const VARIANT_KEYS = ["single", "alpine", "scratch", "distroless"] as const satisfies readonly VariantKey[];
export const DEFAULT_VARIANTS: VariantKey[] = ["single", "scratch"];

export interface PlannedVariant {
  key: string;
  naive: boolean;
  dockerfile: string;
  /** Every image the Dockerfile starts FROM, builder first; "scratch" is left out. */
  baseImages: string[];
  /** The final stage's base, whose layers count as "from the base image". */
  runtimeImage: string | null;
}

export function planVariants(keys: VariantKey[], plan: BuildPlan, bases: BaseImages): PlannedVariant[] {
  const planned: PlannedVariant[] = [];
  for (const key of VARIANT_KEYS.filter((k) => keys.includes(k))) {
    const runtimeImage = runtimeImageFor(key, plan, bases);
    const specs: VariantSpec[] = [{ key, naive: false, runtimeImage }];
    if (hasFixes(key, plan.needs)) specs.push({ key, naive: true, runtimeImage });
    for (const spec of specs) {
      planned.push({
        key: variantName(spec),
        naive: spec.naive,
        dockerfile: dockerfileFor(spec, plan),
        baseImages: key === "single" || runtimeImage === "scratch" ? [plan.builderImage] : [plan.builderImage, runtimeImage],
        runtimeImage: runtimeImage === "scratch" ? null : runtimeImage,
      });
    }
  }
  return planned;
}

function runtimeImageFor(key: VariantKey, plan: BuildPlan, bases: BaseImages): string {
  switch (key) {
    case "single":
      return plan.builderImage;
    case "alpine":
      return bases.alpine;
    case "scratch":
      return "scratch";
    case "distroless":
      return bases.static;
  }
}
