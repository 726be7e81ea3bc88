// /r/<repo>: every comparison of one repository, newest first, and a line chart of each
// variant's size over time. The path encoding is lib/share/repo-path.ts.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { HistoryChart } from "@/components/history-chart";
import { LocalTime } from "@/components/local-time";
import { historyHeadline, historySeries, type HistoryItem } from "@/lib/views/history";
import { HISTORY_LIMIT, listRepoHistory } from "@/lib/comparisons/history-query";
import { web } from "@/lib/roots/web";
import { repoFromHistorySegments } from "@/lib/share/repo-path";
import styles from "./history.module.css";

export const dynamic = "force-dynamic";

interface PageProps {
  params: Promise<{ repo: string[] }>;
}

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const target = repoFromHistorySegments((await params).repo);
  return { title: target ? `${target.repo} over time — Slimstage` : "Not found — Slimstage" };
}

export default async function RepoHistoryPage({ params }: PageProps) {
  const target = repoFromHistorySegments((await params).repo);
  if (!target) notFound();
  const items = await listRepoHistory(web().db, target.spellings);
  const { points, lines } = historySeries(items);

  return (
    <article>
      <header>
        <p className={styles.kicker}>Repository history</p>
        <h1 className={styles.repo} data-testid="history-repo">
          {target.repo}
        </h1>
        {items.length > 0 ? (
          <p className="muted">
            {items.length === HISTORY_LIMIT ? `The latest ${HISTORY_LIMIT}` : items.length} comparison
            {items.length === 1 ? "" : "s"}, newest first. Click a point or a row to open that comparison.
          </p>
        ) : null}
      </header>

      {items.length === 0 ? (
        <p className="empty" data-testid="history-empty">
          No comparisons of this repository yet. <Link href="/">Start one</Link> from the home page.
        </p>
      ) : (
        <>
          {points.length > 0 ? (
            <HistoryChart points={points} lines={lines} />
          ) : (
            <p className="empty">None of these comparisons has built an image yet.</p>
          )}
          <ol className={styles.list} data-testid="history-list">
            {items.map((item, index) => (
              <HistoryRow key={item.id} item={item} previousId={item.status === "succeeded" ? items.slice(index + 1).find((older) => older.status === "succeeded")?.id : undefined} />
            ))}
          </ol>
        </>
      )}
    </article>
  );
}

// previousId: the next older finished comparison in the list, to compare this one with.
function HistoryRow({ item, previousId }: { item: HistoryItem; previousId?: string }) {
  const headline = historyHeadline(item);
  return (
    <li className={styles.row}>
      <Link href={`/c/${item.id}`} className={styles.id}>
        {item.id}
      </Link>
      <span className={`badge badge-${item.status}`}>{item.status}</span>
      <span className={styles.source}>
        {item.commit ? <code title={item.commit}>{item.commit.slice(0, 7)}</code> : null}
        {item.ref ? <span className="muted">{item.ref}</span> : null}
      </span>
      <span className={styles.headline}>{headline ? headline.text : <span className="muted">no size comparison</span>}</span>
      {previousId ? (
        <Link href={`/compare/${previousId}/${item.id}`} className={styles.compare} data-testid="history-compare">
          compare with {previousId}
        </Link>
      ) : null}
      <LocalTime className={styles.time} iso={item.createdAt} />
    </li>
  );
}
