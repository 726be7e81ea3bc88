// /compare/<a>/<b>: what changed from comparison a to comparison b of one repository —
// per variant, sizes before and after, where the bytes moved, files, layers and the Go
// binary's modules and packages. Server-rendered only (no client code but timestamps), so
// the comparison page's own first load does not grow. The same data: /api/compare/<a>/<b>;
// for a comparison and the one before it, read from the diff stored when the later one
// finished. Each list shows its largest changes; ?rows=all renders every row.
import type { Metadata } from "next";
import { cache, type ReactNode } from "react";
import { CompareSummary } from "@/components/compare/compare-summary";
import { VariantDiff } from "@/components/compare/variant-diff";
import { LocalTime } from "@/components/local-time";
import { compareComparisons } from "@/lib/reads/compare-query";
import { sameFolder } from "@/lib/reads/previous-query";
import { UserError } from "@/lib/errors";
import { web } from "@/lib/roots/web";
import { repoHistoryPath } from "@/lib/share/repo-path";
import { isTerminal } from "@/lib/comparisons/types";
import type { ComparisonBrief, CompareResult } from "@/lib/views/compare-result";
import styles from "./compare.module.css";

export const dynamic = "force-dynamic";

interface PageProps {
  params: Promise<{ a: string; b: string }>;
  /** rows=all: every row of each list, not only the first ones (components/compare/change-table.tsx). */
  searchParams: Promise<{ rows?: string | string[] }>;
}

// Metadata and the page ask for the same diff within one request.
const load = cache(async (a: string, b: string): Promise<CompareResult | UserError> => {
  try {
    return await compareComparisons(web().db, web().database.read(), a, b);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
});

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const { a, b } = await params;
  const result = await load(a, b);
  return { title: result instanceof UserError ? "Cannot compare — Slimstage" : `What changed: ${result.after.repo} — Slimstage`, robots: { index: false } };
}

export default async function ComparePage({ params, searchParams }: PageProps) {
  const { a, b } = await params;
  const allRows = (await searchParams).rows === "all";
  const result = await load(a, b);
  if (result instanceof UserError) return <CannotCompare error={result} a={a} b={b} />;
  const { before, after, variants } = result;
  const history = repoHistoryPath(after.repo);
  return (
    <article>
      <header className={styles.header}>
        <p className="kicker">What changed</p>
        <h1 className="repo-title" data-testid="compare-repo">
          {history ? <a href={history}>{after.repo}</a> : after.repo}
        </h1>
        <dl className={styles.sides}>
          <Side label="Before" brief={before} />
          <Side label="After" brief={after} />
        </dl>
        <Notes before={before} after={after} />
      </header>
      {variants.length === 0 ? (
        <p className="empty">Neither comparison has variants yet.</p>
      ) : (
        <>
          <CompareSummary variants={variants} />
          {variants.map((diff) => (
            <VariantDiff key={diff.key} diff={diff} allRows={allRows} />
          ))}
        </>
      )}
    </article>
  );
}

function Side({ label, brief }: { label: string; brief: ComparisonBrief }) {
  // A ref that is the commit itself (submitted as a SHA) says nothing more.
  const ref = brief.ref && !(brief.commit && /^[0-9a-f]{7,40}$/.test(brief.ref) && brief.commit.startsWith(brief.ref)) ? brief.ref : null;
  return (
    <>
      <dt>{label}</dt>
      <dd className={styles.side}>
        <a href={`/c/${brief.id}`}>{brief.id}</a>
        {brief.commit ? <code title={brief.commit}>{brief.commit.slice(0, 7)}</code> : null}
        {ref ? <span className="muted">{ref}</span> : null}
        <LocalTime className="muted" iso={brief.createdAt} />
      </dd>
    </>
  );
}

function Notes({ before, after }: { before: ComparisonBrief; after: ComparisonBrief }) {
  const notes: ReactNode[] = [];
  for (const side of [before, after]) {
    if (!isTerminal(side.status)) notes.push(`${side.id} is still ${side.status}: its sizes may still change.`);
    else if (side.status !== "succeeded") notes.push(`${side.id} ${side.status}: only what it built is compared.`);
  }
  if (!sameFolder(before.subdir, after.subdir) || !sameFolder(before.mainPackage, after.mainPackage)) {
    notes.push("The two comparisons build different folders or main packages of the repository: they are different programs.");
  }
  if (Date.parse(before.createdAt) > Date.parse(after.createdAt)) {
    notes.push(
      <>
        {before.id} is the newer one, so the changes read backwards in time. <a href={`/compare/${after.id}/${before.id}`}>Swap them</a>.
      </>,
    );
  }
  if (notes.length === 0) return null;
  return (
    <ul className="notes" data-testid="compare-notes">
      {notes.map((note, index) => (
        <li key={index}>{note}</li>
      ))}
    </ul>
  );
}

function CannotCompare({ error, a, b }: { error: UserError; a: string; b: string }) {
  return (
    <article>
      <h1>Cannot compare these two</h1>
      <div className="error-box" role="alert" data-testid="compare-error">
        <strong>{error.message}</strong> <code>{error.code}</code>
      </div>
      <p>
        Open them one by one: <a href={`/c/${encodeURIComponent(a)}`}>{a}</a>, <a href={`/c/${encodeURIComponent(b)}`}>{b}</a>. A
        comparison page links to the previous comparison of its repository, and each repository&apos;s history page links every comparison to the one
        before it.
      </p>
    </article>
  );
}
