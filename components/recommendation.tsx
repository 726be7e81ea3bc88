// Which image to ship, under the headline: "Use scratch: 1.5 MB, runs." and, when an even
// smaller image was built but fails, one line saying why. Each key links to its variant.
import type { Recommendation } from "@/lib/views/recommendation";
import { formatBytes } from "@/lib/format";

/** `final` is false while the comparison still runs: a later image may change the answer. */
export function RecommendationBlock({ recommendation, final }: { recommendation: Recommendation; final: boolean }) {
  const { pick, smallerFailing } = recommendation;
  return (
    <aside className="recommendation" data-testid="recommendation" aria-label="Recommendation">
      <p className="recommendation-pick">
        {pick ? (
          <>
            Use <VariantLink variantKey={pick.key} />: {formatBytes(pick.sizeBytes)}, runs.
          </>
        ) : (
          recommendation.text
        )}
        {final ? null : <span className="muted"> (so far)</span>}
      </p>
      {smallerFailing ? (
        <p className="recommendation-caveat">
          <VariantLink variantKey={smallerFailing.key} /> is smaller but fails:{" "}
          {smallerFailing.code ? <code>{smallerFailing.code}</code> : "its run check"}
        </p>
      ) : null}
    </aside>
  );
}

function VariantLink({ variantKey }: { variantKey: string }) {
  return (
    <a href={`#variant-${variantKey}-heading`}>
      <code>{variantKey}</code>
    </a>
  );
}
