// /r/<repo>: a line chart of each variant's size over the repository's latest comparisons,
// and the comparisons themselves, newest first, a page at a time (?before=<cursor>, plain
// links, as on the home page). The path encoding is lib/share/repo-path.ts. The chart's
// points are not in the page: its plot fetches them when it loads (components/history-chart.tsx).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { HistoryChart } from "@/components/history-chart";
import { LocalTime } from "@/components/local-time";
import { historyHeadline, type HistoryItem } from "@/lib/views/history";
import { HISTORY_LIMIT, HISTORY_PAGE, listRepoHistory, repoHistoryOutline } from "@/lib/reads/history-query";
import { decodeCursor, encodeCursor } from "@/lib/reads/cursor";
import { web } from "@/lib/roots/web";
import { repoFromHistorySegments, repoHistoryPath } from "@/lib/share/repo-path";
import styles from "./history.module.css";

export const dynamic = "force-dynamic";

interface PageProps {
  params: Promise<{ repo: string[] }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** Rows read past a page's end: the next older finished one to compare with, and whether there are more. */
const LOOKAHEAD = 20;

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const target = repoFromHistorySegments((await params).repo);
  return { title: target ? `${target.repo} over time — Slimstage` : "Not found — Slimstage" };
}

export default async function RepoHistoryPage({ params, searchParams }: PageProps) {
  const target = repoFromHistorySegments((await params).repo);
  if (!target) notFound();
  const { before } = await searchParams;
  const beforeText = typeof before === "string" && before !== "" ? before : null;
  // A broken or outdated link still shows something useful: the newest page.
  const cursor = beforeText ? decodeCursor(beforeText) : null;
  // The first page charts the latest comparisons (its outline here, its points fetched by
  // the plot) and lists the newest of them; an older page lists only.
  const read = web().database.read();
  const [items, outline] = await Promise.all([
    listRepoHistory(read, target.spellings, HISTORY_PAGE + LOOKAHEAD, cursor ?? undefined),
    cursor ? null : repoHistoryOutline(read, target.spellings),
  ]);
  const listed = items.slice(0, HISTORY_PAGE);
  const last = listed[listed.length - 1];
  const olderCursor = items.length > HISTORY_PAGE && last ? encodeCursor({ createdAt: new Date(last.createdAt), id: last.id }) : null;
  const path = repoHistoryPath(target.repo) ?? "/";

  return (
    <article>
      <header>
        <p className="kicker">Repository history</p>
        <h1 className="repo-title" data-testid="history-repo">
          {target.repo}
        </h1>
        {cursor ? (
          <p className="muted">Older comparisons, newest first. Click a row to open that comparison.</p>
        ) : outline && outline.comparisons > 0 ? (
          <p className="muted">
            {outline.comparisons === HISTORY_LIMIT ? `The latest ${HISTORY_LIMIT}` : outline.comparisons} comparison
            {outline.comparisons === 1 ? "" : "s"}, newest first{outline.comparisons > HISTORY_PAGE ? ` (${HISTORY_PAGE} to a page below)` : ""}. Click a point or a
            row to open that comparison.
          </p>
        ) : null}
        {beforeText && !cursor ? (
          <p className="page-notice" role="status" data-testid="invalid-cursor">
            That page link is broken or out of date, so the newest comparisons are shown.
          </p>
        ) : null}
      </header>

      {listed.length === 0 ? (
        cursor ? (
          <p className="empty">No older comparisons.</p>
        ) : (
          <p className="empty" data-testid="history-empty">
            No comparisons of this repository yet. <a href="/">Start one</a> from the home page.
          </p>
        )
      ) : (
        <>
          {!outline ? null : outline.points > 0 ? (
            <HistoryChart repo={target.repo} count={outline.points} lines={outline.lines} />
          ) : (
            <p className="empty">None of these comparisons has built an image yet.</p>
          )}
          <ol className={styles.list} data-testid="history-list">
            {listed.map((item, index) => (
              <HistoryRow key={item.id} item={item} previousId={item.status === "succeeded" ? items.slice(index + 1).find((older) => older.status === "succeeded")?.id : undefined} />
            ))}
          </ol>
        </>
      )}
      {cursor || olderCursor ? (
        <nav className="pager" aria-label="More comparisons">
          {cursor ? (
            <a href={path} data-testid="history-newest">
              ← Newest comparisons
            </a>
          ) : null}
          {olderCursor ? (
            <a href={`${path}?before=${encodeURIComponent(olderCursor)}`} className="pager-older" data-testid="history-older">
              Older comparisons →
            </a>
          ) : null}
        </nav>
      ) : null}
    </article>
  );
}

// previousId: the next older finished comparison in the list, to compare this one with.
function HistoryRow({ item, previousId }: { item: HistoryItem; previousId?: string }) {
  const headline = historyHeadline(item);
  return (
    <li className={styles.row}>
      <a href={`/c/${item.id}`} className={styles.id}>
        {item.id}
      </a>
      <span className={`badge badge-${item.status}`}>{item.status}</span>
      <span className={styles.source}>
        {item.commit ? <code title={item.commit}>{item.commit.slice(0, 7)}</code> : null}
        {item.ref ? <span className="muted">{item.ref}</span> : null}
      </span>
      <span className={styles.headline}>{headline ? headline.text : <span className="muted">no size comparison</span>}</span>
      {previousId ? (
        <a href={`/compare/${previousId}/${item.id}`} className={styles.compare} data-testid="history-compare">
          compare with {previousId}
        </a>
      ) : null}
      <LocalTime className={styles.time} iso={item.createdAt} />
    </li>
  );
}
