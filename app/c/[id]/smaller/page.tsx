// "Make it smaller, proven": the changes Slimstage built, measured and ran after the
// comparison — a waterfall from the single-stage image down to the smallest proven image,
// every step with its saving, its cost and a patch to copy, the steps that break the
// program with the diagnosis, and the leads only the user's code can cut. Read from the
// database on every request (the advice changes after the comparison has finished); while
// it runs, a small island renders the page again every few seconds, and the browser that
// submitted the comparison can stop it.
import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { AdviceRefresh } from "@/components/advice/advice-refresh";
import { CopyBlock } from "@/components/advice/copy-block";
import { StopAdvice } from "@/components/advice/stop-advice";
import { WaterfallIsland } from "@/components/advice/waterfall-island";
import { getAdvice } from "@/lib/advice/read";
import { buildWaterfall, zoomedBars, type StepCost, type StepRow } from "@/lib/advice/waterfall";
import type { AdviceView } from "@/lib/advice/types";
import { formatBytes, formatSeconds } from "@/lib/format";
import { isOwner, ownerCookieName } from "@/lib/comparisons/owners";
import { ownerTokenHashOf } from "@/lib/reads/queries";
import { web } from "@/lib/roots/web";
import styles from "./smaller.module.css";

export const dynamic = "force-dynamic";

interface PageProps {
  params: Promise<{ id: string }>;
}

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const { id } = await params;
  return { title: `Make it smaller — ${id} — Slimstage` };
}

export default async function SmallerPage({ params }: PageProps) {
  const { id } = await params;
  const advice = await getAdvice(web().db, id);
  if (!advice) notFound();
  const waterfall = buildWaterfall(advice);
  const zoomed = zoomedBars(waterfall);
  const active = advice.status === "queued" || advice.status === "running" || (advice.status === null && advice.comparisonStatus !== "succeeded" && !["failed", "canceled"].includes(advice.comparisonStatus));
  // Its owner may stop the advice of a succeeded comparison (the comparison's cancel).
  const ownerCookie = active && advice.comparisonStatus === "succeeded" ? ((await cookies()).get(ownerCookieName(id))?.value ?? null) : null;
  const canStop = ownerCookie !== null && isOwner({ bearer: null, cookie: ownerCookie }, await ownerTokenHashOf(web().db, id), undefined);
  const describe = (bars: typeof waterfall.bars) =>
    bars.map((b) => (b.kind === "step" ? `${b.title}: −${formatBytes(b.savedBytes)} (${b.savedPercent}%) to ${formatBytes(b.toBytes)}` : `${b.title} ${formatBytes(b.fromBytes)}`)).join("; ");

  return (
    <article>
      <header className="comparison-header">
        <p className="muted">
          <a href={`/c/${id}`}>← comparison {id}</a>
        </p>
        <h1>Make it smaller, proven</h1>
        <p className="muted">
          Each change is applied by Slimstage to a copy of the build, built on the engine, measured and run against the single-stage image. Only changes
          that keep the program working are kept; the others are shown as tried.
        </p>
      </header>
      {active ? <AdviceRefresh /> : null}
      <StatusLine advice={advice} pending={waterfall.pending} />
      {canStop ? <StopAdvice id={id} /> : null}

      {waterfall.total && waterfall.smallest ? (
        <p className="headline" data-testid="advice-headline">
          {formatBytes(waterfall.total.fromBytes)} → {formatBytes(waterfall.total.toBytes)}, {waterfall.total.savedPercent}% smaller, proven
        </p>
      ) : null}
      {advice.summary?.limitBytes && waterfall.smallest ? (
        <p className="muted" data-testid="advice-limit">
          The physical limit — {advice.summary.limitWhat} — is {formatBytes(advice.summary.limitBytes)}: the smallest proven image is{" "}
          {(waterfall.smallest.sizeBytes / advice.summary.limitBytes).toFixed(2)}× it.
          {advice.summary.adviceSeconds !== null ? ` The advice took ${formatSeconds(advice.summary.adviceSeconds)} of worker time` : ""}
          {advice.summary.adviceSeconds !== null && advice.summary.comparisonSeconds ? ` (the comparison: ${formatSeconds(advice.summary.comparisonSeconds)}).` : advice.summary.adviceSeconds !== null ? "." : ""}
        </p>
      ) : null}

      {waterfall.bars.length > 1 ? (
        <WaterfallIsland bars={waterfall.bars} title="From the single-stage image to the smallest proven one" description={describe(waterfall.bars)} />
      ) : null}
      {zoomed.length > 2 ? <WaterfallIsland bars={zoomed} title="After multi-stage, zoomed in" description={describe(zoomed)} /> : null}

      {waterfall.smallest?.dockerfile ? (
        <section>
          <h2>The smallest proven Dockerfile</h2>
          <CopyBlock label="Dockerfile" text={waterfall.smallest.dockerfile} testId="smallest-dockerfile" />
        </section>
      ) : null}

      {waterfall.rows.length > 0 ? (
        <section>
          <h2>Every step tried</h2>
          <ol className={styles.steps} data-testid="advice-steps">
            {waterfall.rows.map((row) => (
              <StepItem key={row.key} row={row} />
            ))}
          </ol>
        </section>
      ) : null}

      {waterfall.repo.length > 0 ? (
        <section>
          <h2>Your own Dockerfile</h2>
          <ol className={styles.steps} data-testid="advice-repo">
            {waterfall.repo.map((step) => (
              <li key={step.key} className={styles.step} data-testid={`advice-step-${step.key}`}>
                <div className={styles.stepHead}>
                  <span className={styles.stepTitle}>{step.title}</span>
                  <span className={step.status === "works" ? styles.works : styles.neutral}>{step.status === "works" ? "proven" : "measured, not built"}</span>
                </div>
                <p className="muted">{step.why}</p>
                {step.patch ? <CopyBlock label="patch" text={step.patch} /> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {waterfall.leads.length > 0 ? (
        <section>
          <h2>Leads that need your code</h2>
          <p className="muted">Not proven — nothing is built without them: the heaviest modules and packages in the binary, and the imports that pull each in.</p>
          <ol className={styles.leads} data-testid="advice-leads">
            {waterfall.leads.map((lead) => (
              <li key={lead.key}>
                <strong>{lead.title}</strong>: {formatBytes(lead.sizeBytes)}. {lead.why} {lead.reason ? <code>{lead.reason}</code> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </article>
  );
}

function StatusLine({ advice, pending }: { advice: AdviceView; pending: number }) {
  const text =
    advice.status === null
      ? advice.comparisonStatus === "succeeded"
        ? "This comparison was made before Slimstage gave advice: submit it again for some."
        : advice.comparisonStatus === "failed" || advice.comparisonStatus === "canceled"
          ? "The comparison did not succeed, so there is nothing proven to start from."
          : "The advice starts once the comparison has its headline."
      : advice.status === "queued"
        ? advice.comparisonStatus === "succeeded"
          ? "Waiting for the worker to start the advice…"
          : "The advice starts once the comparison has its headline."
        : advice.status === "running"
          ? `Working: ${advice.phase ?? "…"}${pending ? ` (${pending} step${pending === 1 ? "" : "s"} to go)` : ""}`
          : advice.status === "done"
            ? null
            : (advice.error ?? (advice.status === "off" ? "Advice is off for this comparison." : `Advice ${advice.status}.`));
  if (!text) return null;
  return (
    <p className={advice.status === "failed" ? "error-box" : "notes"} role="status" data-testid="advice-status">
      {text}
    </p>
  );
}

// What UPX costs at run time, measured beside the bytes it saves: the figure, then the
// image it was applied to; "not measured" where the engine could not (the reason says why).
function CostFigures({ cost }: { cost: StepCost }) {
  const ms = (value: number | null) => (value === null ? "not measured" : `${Math.round(value)} ms`);
  const bytes = (value: number | null) => (value === null ? "not measured" : formatBytes(value));
  return (
    <>
      <span data-testid="step-start">
        run {ms(cost.startMs)} (without: {ms(cost.without.startMs)})
      </span>
      <span data-testid="step-memory" title="The run check container's peak memory, its start included">
        peak memory {bytes(cost.memoryBytes)} (without: {bytes(cost.without.memoryBytes)})
      </span>
    </>
  );
}

function StepItem({ row }: { row: StepRow }) {
  const tone = row.status === "works" && row.kept ? styles.works : row.status === "breaks" || row.status === "failed" ? styles.breaks : styles.neutral;
  return (
    <li className={styles.step} data-testid={`advice-step-${row.key}`}>
      <div className={styles.stepHead}>
        <span className={styles.stepTitle}>{row.title}</span>
        <span className={tone} data-testid="step-verdict">
          {row.kept ? "works — kept" : row.verdict}
        </span>
      </div>
      <div className={styles.figures}>
        {row.sizeBytes !== null ? (
          <span>
            {formatBytes(row.sizeBytes)} on disk{row.compressedBytes !== null ? `, ${formatBytes(row.compressedBytes)} compressed` : ""}
          </span>
        ) : null}
        {row.savedBytes !== null && row.status !== "failed" ? (
          <span>
            {row.savedBytes >= 0 ? "saves" : "adds"} {formatBytes(Math.abs(row.savedBytes))} ({Math.abs(row.savedPercent ?? 0)}%)
          </span>
        ) : null}
        {row.buildSeconds !== null ? <span>build {formatSeconds(row.buildSeconds)}</span> : null}
        {row.cost ? (
          <CostFigures cost={row.cost} />
        ) : row.startMs !== null ? (
          <span>run {Math.round(row.startMs)} ms</span>
        ) : null}
      </div>
      {row.why ? <p className="muted">{row.why}</p> : null}
      {row.reason ? <p>{row.reason}</p> : null}
      {row.diagnosis ? (
        <p className={styles.breaks} data-testid="step-diagnosis">
          <code>{row.diagnosis.code}</code> {row.diagnosis.message}
        </p>
      ) : null}
      {row.command && row.kept ? <CopyBlock label="build command" text={row.command} /> : null}
      {row.patch && (row.kept || row.status === "breaks") ? (
        <details open={row.kept}>
          <summary>Patch (Dockerfile diff)</summary>
          <CopyBlock label="patch" text={row.patch} testId="step-patch" />
        </details>
      ) : null}
    </li>
  );
}
