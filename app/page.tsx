// Home: the question, the submit form, one-click samples and the comparisons so far,
// newest first, a page at a time (?before=<cursor>, plain links, no client code).
// A warning about the Docker Engine streams in above it all without holding it up.
import { Suspense } from "react";
import { EngineBanner } from "@/components/engine-banner";
import { ExampleButtons } from "@/components/example-buttons";
import { LocalTime } from "@/components/local-time";
import { SubmitForm } from "@/components/submit-form";
import { readPrefill } from "@/components/corrections";
import { decodeCursor } from "@/lib/reads/cursor";
import { listComparisonsPage } from "@/lib/reads/queries";
import { web } from "@/lib/roots/web";
import type { ComparisonSummary } from "@/lib/comparisons/types";
import { listExamples } from "@/lib/examples";
import { formatBytes } from "@/lib/format";
import styles from "./home.module.css";

export const dynamic = "force-dynamic";

const RECENT_LIMIT = 20;

interface HomeProps {
  // before: the list's cursor; repo, ref, subdir, mainPackage, fix: the form filled in (components/corrections.ts).
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export default async function HomePage({ searchParams }: HomeProps) {
  const query = await searchParams;
  const { before } = query;
  const beforeText = typeof before === "string" && before !== "" ? before : null;
  // A broken or outdated link still shows something useful: the newest page.
  const cursor = beforeText ? decodeCursor(beforeText) : null;
  const [examples, recent] = await Promise.all([
    listExamples(web().config.examplesDir),
    listComparisonsPage(web().database.read(), { limit: RECENT_LIMIT, ...(cursor ? { cursor } : {}) }),
  ]);
  const olderPage = cursor !== null;

  return (
    <>
      <Suspense fallback={null}>
        <EngineBanner />
      </Suspense>
      <p className="intro">How much smaller is your Go image multi-stage — and does the small one still work?</p>

      <section aria-labelledby="submit-heading">
        <h2 id="submit-heading" className={styles.firstHeading}>
          Compare a repository
        </h2>
        <SubmitForm initial={readPrefill(query)} />
      </section>

      <section aria-labelledby="samples-heading">
        <h2 id="samples-heading">Try a sample</h2>
        {/* Only what the button needs: the example's server directory stays on the server. */}
        <ExampleButtons examples={examples.map(({ name, description }) => ({ name, description }))} />
      </section>

      <section aria-labelledby="recent-heading" id="recent">
        <h2 id="recent-heading">{olderPage ? "Older comparisons" : "Recent comparisons"}</h2>
        {beforeText && !cursor ? (
          <p className="page-notice" role="status" data-testid="invalid-cursor">
            That page link is broken or out of date, so the newest comparisons are shown.
          </p>
        ) : null}
        {recent.items.length === 0 ? (
          <p className="empty">{olderPage ? "No older comparisons." : "No comparisons yet — try a sample above."}</p>
        ) : (
          <ul className="recent" data-testid="recent-comparisons">
            {recent.items.map((comparison) => (
              <RecentItem key={comparison.id} comparison={comparison} />
            ))}
          </ul>
        )}
        {olderPage || recent.nextCursor ? (
          <nav className="pager" aria-label="More comparisons">
            {olderPage ? (
              <a href="/#recent" data-testid="newest-comparisons">
                ← Newest comparisons
              </a>
            ) : null}
            {recent.nextCursor ? (
              <a
                href={`/?before=${encodeURIComponent(recent.nextCursor)}#recent`}
                className="pager-older"
                data-testid="older-comparisons"
              >
                Older comparisons →
              </a>
            ) : null}
          </nav>
        ) : null}
      </section>
    </>
  );
}

function RecentItem({ comparison }: { comparison: ComparisonSummary }) {
  const { id, repo, status, createdAt, largest, smallest } = comparison;
  return (
    <li>
      <a href={`/c/${id}`} className="recent-id">
        {id}
      </a>
      <span className="recent-repo">{repo}</span>
      <span className={`badge badge-${status}`}>{status}</span>
      {largest && smallest ? (
        <span className="recent-sizes">
          {formatBytes(largest.sizeBytes)} → {formatBytes(smallest.sizeBytes)}
        </span>
      ) : null}
      <LocalTime className="recent-time" iso={createdAt} />
    </li>
  );
}
