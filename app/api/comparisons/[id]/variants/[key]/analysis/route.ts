// One built variant's whole analysis: the image's file tree, dive's efficiency figures,
// what it carries for the build only, and its Go binary's sections, packages and modules.
// Kept out of GET /api/comparisons/<id> (which carries only analysisSummary) because the
// tree is large; the page loads it when the reader opens "Why is it this big?".
import { NextResponse } from "next/server";
import { z } from "zod";
import { comparisonNotFound, ID_PATTERN } from "@/lib/comparisons/ids";
import { getVariantAnalysis } from "@/lib/reads/queries";
import { UserError } from "@/lib/errors";
import { errorResponse } from "@/lib/http";
import { web } from "@/lib/roots/web";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ id: z.string().regex(ID_PATTERN), key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) });

const MESSAGES = {
  "no-variant": (id: string, key: string) => ["VARIANT_NOT_FOUND", `Comparison ${id} has no variant "${key}".`],
  "no-analysis": (_: string, key: string) => [
    "ANALYSIS_NOT_FOUND",
    `Variant "${key}" has no analysis: it was not built, or it was measured before this version of Slimstage listed files.`,
  ],
} as const;

export async function GET(_request: Request, { params }: { params: Promise<{ id: string; key: string }> }) {
  try {
    const raw = await params;
    const parsed = paramsSchema.safeParse(raw);
    // An id or a key of another form cannot exist.
    if (!parsed.success) throw comparisonNotFound(raw.id, ` with a variant "${raw.key}"`);
    const { id, key } = parsed.data;
    const result = await getVariantAnalysis(web().db, id, key);
    if (result.found === "no-comparison") throw comparisonNotFound(id);
    if (result.found !== "analysis") {
      const [code, message] = MESSAGES[result.found](id, key);
      throw new UserError(code, message, "not_found");
    }
    return NextResponse.json(result.analysis);
  } catch (error) {
    return errorResponse(error, "GET /api/comparisons/[id]/variants/[key]/analysis", web().log);
  }
}
