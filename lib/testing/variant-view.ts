// A VariantView for tests of pure logic: an empty built variant with the given fields,
// and a run check from its verdict (exit code 0 when it works, 1 when it fails).
import type { DiagnosisCode, RunVerdict, VariantView } from "@/lib/comparisons/types";

export function runCheckOf(verdict: RunVerdict | null | undefined, code?: DiagnosisCode): VariantView["runCheck"] {
  if (!verdict) return null;
  return {
    verdict,
    exitCode: verdict === "works" ? 0 : 1,
    output: "",
    ...(code ? { diagnosis: { code, message: "", fix: "" } } : {}),
  };
}

export function variantView(key: string, fields: Partial<VariantView> = {}): VariantView {
  return {
    key,
    naive: key.endsWith("-naive"),
    status: "built",
    dockerfile: "",
    baseImages: [],
    imageId: null,
    sizeBytes: null,
    compressedBytes: null,
    buildSeconds: null,
    buildLog: "",
    layers: [],
    runCheck: null,
    ...fields,
  };
}
