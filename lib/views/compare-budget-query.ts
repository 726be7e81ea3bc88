// Pure: the size budget's query string, checked field by field so that a CI job with a
// typo gets a 422 naming the parameter, not a silent "within budget".
//   variant=KEY            the variant to judge (default: the smallest image that works)
//   maxBytes=N             a size limit in bytes (a positive integer)
//   maxGrowthPercent=P     at most P% larger than the previous comparison (P >= 0)
//   size=disk|compressed   which size (default disk, as `docker images` shows it)
// At least one of maxBytes and maxGrowthPercent; with both, the tighter one applies.
import { UserError } from "@/lib/errors";

export interface BudgetQuery {
  variant?: string;
  maxBytes?: number;
  maxGrowthPercent?: number;
  size: "disk" | "compressed";
}

const VARIANT_KEY = /^[a-z][a-z0-9-]{0,39}$/;
const PERCENT_LIMIT = 10_000;

export function parseBudgetQuery(params: URLSearchParams): BudgetQuery {
  const one = (name: string): string | undefined => {
    const values = params.getAll(name);
    if (values.length > 1) throw new UserError("DUPLICATE_PARAMETER", `Give ${name} once, not ${values.length} times.`, "invalid", name);
    return values[0];
  };
  const query: BudgetQuery = { size: "disk" };

  const variant = one("variant");
  if (variant !== undefined) {
    if (!VARIANT_KEY.test(variant)) throw new UserError("INVALID_VARIANT", `variant must be a variant key such as "scratch" or "distroless", got "${variant.slice(0, 60)}".`, "invalid", "variant");
    query.variant = variant;
  }

  const maxBytes = one("maxBytes");
  if (maxBytes !== undefined) {
    const bytes = /^\d{1,16}$/.test(maxBytes) ? Number(maxBytes) : NaN;
    if (!Number.isSafeInteger(bytes) || bytes <= 0) {
      throw new UserError("INVALID_MAX_BYTES", `maxBytes must be a whole number of bytes greater than 0 (e.g. 5000000 for 5 MB), got "${maxBytes.slice(0, 60)}".`, "invalid", "maxBytes");
    }
    query.maxBytes = bytes;
  }

  const growth = one("maxGrowthPercent");
  if (growth !== undefined) {
    const percent = /^\d{1,5}(\.\d{1,3})?$/.test(growth) ? Number(growth) : NaN;
    if (!Number.isFinite(percent) || percent > PERCENT_LIMIT) {
      throw new UserError("INVALID_MAX_GROWTH_PERCENT", `maxGrowthPercent must be a number from 0 to ${PERCENT_LIMIT} (e.g. 10 for 10%), got "${growth.slice(0, 60)}".`, "invalid", "maxGrowthPercent");
    }
    query.maxGrowthPercent = percent;
  }

  const size = one("size");
  if (size !== undefined) {
    if (size !== "disk" && size !== "compressed") throw new UserError("INVALID_SIZE", `size must be "disk" or "compressed", got "${size.slice(0, 60)}".`, "invalid", "size");
    query.size = size;
  }

  if (query.maxBytes === undefined && query.maxGrowthPercent === undefined) {
    throw new UserError("NO_LIMIT", "Give a limit: maxBytes=N (bytes), maxGrowthPercent=P (against the previous comparison), or both.", "invalid", "maxBytes");
  }
  return query;
}
