// "Make it smaller, proven" for CI and scripts: every step the advice tried on this
// comparison (change, bytes on disk and compressed, whether it works, its patch, UPX's
// measured cost), the
// waterfall's smallest proven image and the physical limit. Not kept by the response
// cache: it changes after the comparison has finished, while the advice runs.
import { NextResponse } from "next/server";
import { comparisonNotFound } from "@/lib/comparisons/ids";
import { statusForKind, UserError } from "@/lib/errors";
import { getAdvice } from "@/lib/advice/read";
import { buildWaterfall } from "@/lib/advice/waterfall";
import { web } from "@/lib/roots/web";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await params;
    const advice = await getAdvice(web().db, id);
    if (!advice) throw comparisonNotFound(id);
    const { smallest, total, rows } = buildWaterfall(advice);
    const costs = new Map(rows.filter((row) => row.cost).map((row) => [row.key, row.cost]));
    return NextResponse.json(
      {
        ...advice,
        smallest: smallest && { key: smallest.key, sizeBytes: smallest.sizeBytes, compressedBytes: smallest.compressedBytes, dockerfile: smallest.dockerfile },
        total,
        steps: advice.steps.map((step) => ({
          ...step,
          works: step.status === "works" || step.status === "no-gain" ? true : step.status === "breaks" ? false : null,
          // UPX: its measured run time and peak memory, and those of the image it was applied to.
          ...(costs.has(step.key) ? { cost: costs.get(step.key) } : {}),
        })),
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    if (error instanceof UserError) return NextResponse.json({ error: { code: error.code, message: error.message } }, { status: statusForKind[error.kind] });
    web().log.error({ err: error }, "GET /api/comparisons/[id]/advice");
    return NextResponse.json({ error: { code: "INTERNAL", message: "Something went wrong on the server." } }, { status: 500 });
  }
}
