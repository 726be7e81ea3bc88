// Reads what the CI size budget judges: the comparison, and — when a growth limit is
// asked for — the previous comparison of the same program (previous-query.ts). The rules
// are pure (lib/views/compare-budget.ts); this only loads their inputs.
import { comparisonNotFound } from "@/lib/comparisons/ids";
import type { Db, ReadDb } from "@/lib/db";
import { UserError } from "@/lib/errors";
import { getComparison } from "@/lib/reads/queries";
import { previousComparisonId } from "@/lib/reads/previous-query";
import { judgeBudget, type BudgetAnswer } from "@/lib/views/compare-budget";
import type { BudgetQuery } from "@/lib/views/compare-budget-query";

export async function checkBudget(db: Db, read: ReadDb, id: string, query: BudgetQuery): Promise<BudgetAnswer> {
  const comparison = await getComparison(db, id);
  if (!comparison) throw comparisonNotFound(id);
  // Only a finished comparison is judged; judgeBudget says so before the previous matters.
  const previousId = comparison.status === "succeeded" ? await previousComparisonId(read, comparison) : null;
  const previous = previousId ? await getComparison(db, previousId) : null;
  return judgeBudget(comparison, query, previous);
}
