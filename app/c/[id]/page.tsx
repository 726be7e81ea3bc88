// One comparison, as stored: the headline and the recommendation, the size chart, the
// layer breakdown and every variant in detail. While the comparison runs, a client island
// shows its live progress (the events stream) and re-renders this page from the database
// when a variant changes state.
import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache, type ReactNode } from "react";
import { WhyBig } from "@/components/analysis/why-big";
import { DockerfileBlock } from "@/components/dockerfile-block";
import { LayerBreakdownChart } from "@/components/layer-breakdown";
import { LayerTable } from "@/components/layer-table";
import { LiveProgress, OwnerActions } from "@/components/on-demand";
import { LocalTime } from "@/components/local-time";
import { RecommendationBlock } from "@/components/recommendation";
import { ShareBar } from "@/components/share-bar";
import { NextSteps } from "@/components/next-steps";
import { PreviousLink } from "@/components/compare/previous-link";
import { SizeChart, type SizeChartBar } from "@/components/size-chart";
import { phaseOfView } from "@/lib/progress/events";
import { computeHeadline } from "@/lib/views/headline";
import { buildLayerBreakdown, type BreakdownRow } from "@/lib/views/layer-breakdown";
import { readComparison } from "@/lib/reads/comparison-read";
import { ownerTokenHashOf } from "@/lib/reads/queries";
import { isOwner, ownerCookieName } from "@/lib/comparisons/owners";
import { web } from "@/lib/roots/web";
import { computeRecommendation } from "@/lib/views/recommendation";
import { isSharedCause } from "@/lib/comparisons/shared-cause";
import { analysisSummaryLine } from "@/lib/views/analysis-text";
import { isTerminal, type ComparisonView, type RunVerdict, type VariantView } from "@/lib/comparisons/types";
import { formatBytes, formatSeconds } from "@/lib/format";
import { publicOrigin, shareMetadata } from "@/lib/share/metadata";
import { repoHistoryPath } from "@/lib/share/repo-path";

export const dynamic = "force-dynamic";

interface PageProps {
  params: Promise<{ id: string }>;
}

// generateMetadata and the page ask for the same row within one request.
const loadComparison = cache((id: string) => readComparison(web().database.read(), id));

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const { id } = await params;
  const comparison = await loadComparison(id);
  if (!comparison) return { title: "Not found — Slimstage" };
  // og:/twitter: tags titled with the headline; the image is ./opengraph-image.tsx.
  const origin = publicOrigin(web().config.publicUrl, await headers());
  return { title: `${comparison.repo} — Slimstage`, ...shareMetadata(comparison, origin) };
}

export default async function ComparisonPage({ params }: PageProps) {
  const { id } = await params;
  const comparison = await loadComparison(id);
  if (!comparison) notFound();

  const terminal = isTerminal(comparison.status);
  // Cancel and Delete only for the browser that submitted it (its cookie holds the token).
  const ownerCookie = (await cookies()).get(ownerCookieName(id))?.value ?? null;
  const owner = ownerCookie !== null && isOwner({ bearer: null, cookie: ownerCookie }, await ownerTokenHashOf(web().db, id), undefined);
  // Sizes are compared even when no small image passed its run check; the line says so.
  const headline = computeHeadline(comparison.variants) ?? computeHeadline(comparison.variants, { includeFailing: true });
  const headlineUnverified = headline !== null && computeHeadline(comparison.variants) === null;
  const recommendation = computeRecommendation(comparison.variants);
  // The "same build" note has a box of its own, with its link.
  const notes = comparison.notes.filter((note) => !(comparison.reusedFrom && note.startsWith("Same build as ")));
  const breakdown = buildLayerBreakdown(comparison.variants);
  const breakdownRows = new Map(breakdown.rows.map((row) => [row.key, row]));
  const bars: SizeChartBar[] = comparison.variants.flatMap((variant) =>
    variant.status === "built" && variant.sizeBytes !== null
      ? [
          {
            key: variant.key,
            sizeBytes: variant.sizeBytes,
            compressedBytes: variant.compressedBytes,
            fails: variant.runCheck?.verdict === "fails",
            diagnosis: variant.runCheck?.diagnosis?.code ?? null,
          },
        ]
      : [],
  );

  return (
    <article>
      <header className="comparison-header">
        <h1>{comparison.repo}</h1>
        <div className="status-line">
          <span className={`badge badge-${comparison.status}`} data-testid="status">
            {comparison.status}
          </span>
          {owner ? <OwnerActions id={comparison.id} finished={terminal} reused={comparison.reusedFrom !== null} /> : null}
        </div>
        {terminal ? null : <LiveProgress id={comparison.id} initial={phaseOfView(comparison)} />}
        <SourceFacts comparison={comparison} />
        {/* A failed or canceled comparison is nothing to share: NextSteps offers what helps instead. */}
        {comparison.status === "failed" || comparison.status === "canceled" ? null : (
          <ShareBar id={comparison.id} historyPath={repoHistoryPath(comparison.repo)} />
        )}
        <PreviousLink read={web().database.read()} comparison={comparison} />
      </header>

      {comparison.error ? (
        <div className="error-box" role="alert" data-testid="comparison-error">
          <strong>{comparison.error.message}</strong> <code>{comparison.error.code}</code>
        </div>
      ) : null}

      {comparison.reusedFrom ? (
        <p className="notes" data-testid="reused">
          Same build as <a href={`/c/${comparison.reusedFrom}`}>comparison {comparison.reusedFrom}</a>: the same commit, settings and base
          images on the same engine, so its results are shown here, not built again.
        </p>
      ) : null}
      {notes.length > 0 ? (
        <ul className="notes" data-testid="notes">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}

      <NextSteps comparison={comparison} />

      {headline ? (
        <>
          <p className="headline" data-testid="headline">
            {headline.text}
          </p>
          <p className="muted">
            <code>{headline.largest.key}</code> → <code>{headline.smallest.key}</code>, size on disk
            {headlineUnverified
              ? " — but no small image passed its run check: see each variant's run check below"
              : comparison.variants.some((v) => v.runCheck)
                ? " (the smallest image that works)"
                : ""}
          </p>
        </>
      ) : (
        <p className="headline headline-pending" data-testid="headline">
          {terminal
            ? "Fewer than two variants were built, so there is no size comparison."
            : "Waiting for at least two variants to build…"}
        </p>
      )}

      {recommendation && (terminal || recommendation.pick) ? (
        <RecommendationBlock recommendation={recommendation} final={terminal} />
      ) : null}

      {comparison.status === "succeeded" ? (
        <p className="notes" data-testid="advice-link">
          <a href={`/c/${comparison.id}/smaller`}>Make it smaller, proven →</a> further changes (build flags, embedded time zones, the base, UPX), each
          built, measured and run against the single-stage image, with a patch for every step.
        </p>
      ) : null}

      {bars.length > 0 ? <SizeChart bars={bars} /> : null}

      {breakdown.rows.length > 0 ? <LayerBreakdownChart breakdown={breakdown} /> : null}

      <section aria-labelledby="variants-heading">
        <h2 id="variants-heading">Variants</h2>
        {comparison.variants.length === 0 ? (
          <p className="empty">
            {terminal ? "No variants were generated." : "Variants appear once the source has been analysed."}
          </p>
        ) : (
          comparison.variants.map((variant) => (
            <VariantSection key={variant.key} variant={variant} breakdown={breakdownRows.get(variant.key)} comparisonError={comparison.error} />
          ))
        )}
      </section>
    </article>
  );
}

function SourceFacts({ comparison }: { comparison: ComparisonView }) {
  const { ref, commit, subdir, mainPackage, module, goVersion, needs, createdAt, finishedAt } = comparison;
  const needed = [needs.tzdata && "time zones", needs.caRoots && "CA roots", needs.cgo && "cgo"].filter(
    (need): need is string => typeof need === "string",
  );
  const took = finishedAt ? (Date.parse(finishedAt) - Date.parse(createdAt)) / 1000 : null;
  return (
    <dl className="facts">
      {ref ? <Fact label="Ref" value={ref} /> : null}
      {commit ? <Fact label="Commit" value={<code title={commit}>{commit.slice(0, 12)}</code>} /> : null}
      {subdir ? <Fact label="Subdirectory" value={<code>{subdir}</code>} /> : null}
      {mainPackage ? <Fact label="Main package" value={<code>{mainPackage}</code>} /> : null}
      {module ? <Fact label="Module" value={<code>{module}</code>} /> : null}
      {goVersion ? <Fact label="Go" value={goVersion} /> : null}
      <Fact label="Needs" value={needed.length > 0 ? needed.join(", ") : "nothing extra detected"} />
      <Fact label="Started" value={<LocalTime iso={createdAt} />} />
      {finishedAt ? (
        <Fact
          label="Finished"
          value={
            <>
              <LocalTime iso={finishedAt} />
              {took !== null && took >= 0 ? ` (${formatSeconds(took)})` : null}
            </>
          }
        />
      ) : null}
    </dl>
  );
}

function VariantSection({
  variant,
  breakdown,
  comparisonError,
}: {
  variant: VariantView;
  breakdown?: BreakdownRow;
  comparisonError?: ComparisonView["error"];
}) {
  const { key, status, reason, runCheck } = variant;
  const headingId = `variant-${key}-heading`;
  return (
    <section className="variant" data-testid={`variant-${key}`} aria-labelledby={headingId}>
      <h3 className="variant-title" id={headingId}>
        <code>{key}</code>
        <span className={`badge badge-${status}`} data-testid="variant-status">
          {status}
        </span>
        {variant.naive ? <span className="badge badge-naive">naive — no fix</span> : null}
        {runCheck ? (
          <span className={`badge badge-${runCheck.verdict}`}>run: {runCheck.verdict === "same" ? "same as single-stage" : runCheck.verdict}</span>
        ) : null}
      </h3>
      {reason && (status === "failed" || status === "skipped") ? (
        <p className="reason" data-testid="variant-reason">
          {/* The one cause every variant shares is said once, at the top. */}
          {isSharedCause(reason, comparisonError) ? "Not built: the reason is at the top of the page." : reason}
        </p>
      ) : reason ? (
        <p className="muted" data-testid="variant-note">
          {reason}
        </p>
      ) : null}

      <dl className="facts">
        <Fact label="Size on disk" value={formatBytes(variant.sizeBytes)} />
        <Fact label="Compressed" value={formatBytes(variant.compressedBytes)} />
        {variant.analysisSummary ? <Fact label="Why this size" value={analysisSummaryLine(variant.analysisSummary)} /> : null}
        <Fact label="Build time" value={formatSeconds(variant.buildSeconds)} />
        <Fact
          label="Base images"
          value={
            variant.baseImages.length > 0
              ? variant.baseImages.map((image, index) => (
                  <span key={image}>
                    {index > 0 ? ", " : null}
                    <code>{image}</code>
                  </span>
                ))
              : "—"
          }
        />
      </dl>

      {runCheck ? <RunCheck runCheck={runCheck} /> : null}

      {variant.dockerfile ? (
        <DockerfileBlock variantKey={key} dockerfile={variant.dockerfile} />
      ) : (
        <>
          <h4>Dockerfile</h4>
          <p className="muted">Not generated.</p>
        </>
      )}

      <h4>Layers</h4>
      <LayerTable
        layers={variant.layers}
        variantKey={key}
        colors={Object.fromEntries(breakdown?.segments.map((segment) => [segment.index, segment.color]) ?? [])}
      />

      {status === "built" ? <WhyBig variantKey={key} summary={variant.analysisSummary ?? null} /> : null}

      <details>
        <summary>Build log</summary>
        {variant.buildLog ? <pre className="log">{variant.buildLog}</pre> : <p className="muted">No log yet.</p>}
      </details>
    </section>
  );
}

const VERDICT_TEXT: Record<RunVerdict, string> = {
  works: "The image runs as the single-stage image does.",
  same: "Same as the single-stage image: the program itself exits this way with these arguments (give run arguments to check more).",
  fails: "The image breaks: it does not behave as the single-stage image does.",
  skipped: "Not run.",
};

function RunCheck({ runCheck }: { runCheck: NonNullable<VariantView["runCheck"]> }) {
  const { verdict, exitCode, output, diagnosis } = runCheck;
  return (
    <div data-testid="run-check">
      <h4>Run check</h4>
      <p>
        {VERDICT_TEXT[verdict]}
        {exitCode !== null ? ` Exit code ${exitCode}.` : null}
      </p>
      {diagnosis ? (
        <p className="reason">
          <code>{diagnosis.code}</code> {diagnosis.message} <strong>Fix:</strong> <code>{diagnosis.fix}</code>
        </p>
      ) : null}
      {output ? <pre className="log">{output}</pre> : null}
    </div>
  );
}

function Fact({ label, value }: { label: string; value: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
