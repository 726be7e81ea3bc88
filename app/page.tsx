// Home: the question, one-click samples and the most recent comparisons.
import Link from "next/link";
import { ExampleButtons } from "@/components/example-buttons";
import { listRecentComparisons } from "@/lib/comparisons/queries";
import type { ComparisonSummary } from "@/lib/comparisons/types";
import { listExamples } from "@/lib/examples";
import { formatBytes } from "@/lib/format";

export const dynamic = "force-dynamic";

const RECENT_LIMIT = 20;

export default async function HomePage() {
  const [examples, recent] = await Promise.all([listExamples(), listRecentComparisons(RECENT_LIMIT)]);

  return (
    <>
      <p className="intro">How much smaller is your Go image multi-stage — and does the small one still work?</p>

      <section aria-labelledby="samples-heading">
        <h2 id="samples-heading">Try a sample</h2>
        {/* Only what the button needs: the example's server directory stays on the server. */}
        <ExampleButtons examples={examples.map(({ name, description }) => ({ name, description }))} />
      </section>

      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent comparisons</h2>
        {recent.length === 0 ? (
          <p className="empty">No comparisons yet — try a sample above.</p>
        ) : (
          <ul className="recent" data-testid="recent-comparisons">
            {recent.map((comparison) => (
              <RecentItem key={comparison.id} comparison={comparison} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function RecentItem({ comparison }: { comparison: ComparisonSummary }) {
  const { id, repo, status, createdAt, largest, smallest } = comparison;
  return (
    <li>
      <Link href={`/c/${id}`} className="recent-id">
        {id}
      </Link>
      <span className="recent-repo">{repo}</span>
      <span className={`badge badge-${status}`}>{status}</span>
      {largest && smallest ? (
        <span className="recent-sizes">
          {formatBytes(largest.sizeBytes)} → {formatBytes(smallest.sizeBytes)}
        </span>
      ) : null}
      <time className="recent-time" dateTime={createdAt}>
        {formatTimestamp(createdAt)}
      </time>
    </li>
  );
}

/** Rendered on the server, so one fixed zone keeps the text stable for every reader. */
function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
