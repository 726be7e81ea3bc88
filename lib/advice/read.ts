// Reads a comparison's advice for the page and the API (GET /api/comparisons/<id>/advice):
// its state and its steps in order, rows mapped to the shapes of types.ts. A comparison
// that reused an earlier one's results shows that comparison's advice (the same build).
import { z } from "zod";
import type { Db } from "@/lib/db";
import { DIAGNOSIS_CODES } from "@/lib/comparisons/types";
import { ADVICE_STATUSES, STEP_STATUSES, type AdviceStatus, type AdviceStepView, type AdviceSummary, type AdviceView, type StepRole, type StepStatus } from "./types";

const diagnosisSchema = z.object({ code: z.enum(DIAGNOSIS_CODES), message: z.string(), fix: z.string() });
const summarySchema: z.ZodType<AdviceSummary> = z.object({
  limitBytes: z.number().nullable(),
  limitWhat: z.string().nullable(),
  adviceSeconds: z.number().nullable(),
  comparisonSeconds: z.number().nullable(),
  buildSeconds: z.number().nullable(),
});

export async function getAdvice(db: Db, id: string): Promise<AdviceView | null> {
  const row = await readRow(db, id);
  if (!row) return null;
  // The same build, not built again: its advice is this one's.
  if (row.reusedFrom && (row.adviceStatus === null || row.adviceStatus === "queued" || row.adviceStatus === "skipped")) {
    const earlier = await readRow(db, row.reusedFrom);
    if (earlier && earlier.adviceStatus && earlier.adviceStatus !== "off") return { ...toView(earlier), id, comparisonStatus: row.status };
  }
  return toView(row);
}

function readRow(db: Db, id: string) {
  return db.comparison.findUnique({
    where: { id },
    select: {
      id: true,
      status: true,
      reusedFrom: true,
      adviceStatus: true,
      advicePhase: true,
      adviceError: true,
      adviceSummary: true,
      adviceSteps: { orderBy: { position: "asc" } },
    },
  });
}

type Row = NonNullable<Awaited<ReturnType<typeof readRow>>>;

function toView(row: Row): AdviceView {
  return {
    id: row.id,
    comparisonStatus: row.status,
    status: (ADVICE_STATUSES as readonly string[]).includes(row.adviceStatus ?? "") ? (row.adviceStatus as AdviceStatus) : null,
    phase: row.advicePhase,
    error: row.adviceError,
    summary: parse(row.adviceSummary, summarySchema),
    steps: row.adviceSteps.map(
      (step): AdviceStepView => ({
        key: step.key,
        role: step.role as StepRole,
        title: step.title,
        why: step.why,
        status: (STEP_STATUSES as readonly string[]).includes(step.status) ? (step.status as StepStatus) : "failed",
        reason: step.reason,
        sizeBytes: num(step.sizeBytes),
        compressedBytes: num(step.compressedBytes),
        buildSeconds: step.buildSeconds,
        startMs: step.startMs,
        memoryBytes: num(step.memoryBytes),
        dockerfile: step.dockerfile,
        patch: step.patch,
        command: step.command,
        diagnosis: parse(step.diagnosis, diagnosisSchema),
        runOutput: step.runOutput,
      }),
    ),
  };
}

const num = (n: bigint | null) => (n === null ? null : Number(n));

function parse<T>(text: string | null, schema: z.ZodType<T>): T | null {
  if (!text) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
