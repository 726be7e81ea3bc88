// "Compare with the previous one" on a comparison's page: a link to /compare/<previous>/<this>
// when an earlier finished comparison of the same program exists (lib/comparisons/
// previous-query.ts), nothing otherwise. A server component: it asks the database itself,
// so the comparison page only places it.
import type { ReadDb } from "@/lib/db";
import { previousComparisonId, type ComparisonKey } from "@/lib/reads/previous-query";
import styles from "./compare.module.css";

export async function PreviousLink({ read, comparison }: { read: ReadDb; comparison: ComparisonKey }) {
  const previousId = await previousComparisonId(read, comparison).catch(() => null);
  if (!previousId) return null;
  return (
    <p className={styles.previousLink}>
      <a href={`/compare/${previousId}/${comparison.id}`} data-testid="compare-previous">
        Compare with the previous one
      </a>{" "}
      <span className="muted">({previousId})</span>
    </p>
  );
}
