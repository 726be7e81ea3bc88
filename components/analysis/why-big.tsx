"use client";
// "Why is it this big?" for one built variant: a disclosure, closed by default, whose
// contents cost nothing until opened. This island is only the disclosure: opening it
// loads, as a chunk of its own (React's lazy()), the code that fetches the variant's
// analysis (its own endpoint: the comparison's JSON carries only a summary) and draws its
// views (why-big-body.tsx: the file tree, the treemaps with recharts' Treemap), so none of
// that is in the page's first load, and nothing of it is server-rendered (it renders only
// once opened).
import { useParams } from "next/navigation";
import { lazy, Suspense, useState } from "react";
import type { AnalysisSummary } from "@/lib/comparisons/types";
// Its own classes: the whole analysis.module.css's class map belongs to the views' chunk.
import { OLD_MEASUREMENT } from "./messages";
import styles from "./why-big.module.css";

const WhyBigBody = lazy(() => import("./why-big-body"));


interface WhyBigProps {
  /** Defaults to the page's own [id] (the comparison page). */
  comparisonId?: string;
  variantKey: string;
  /** From the comparison's JSON; null when no analysis was stored (nothing to fetch). */
  summary: AnalysisSummary | null;
}

export function WhyBig({ comparisonId, variantKey, summary }: WhyBigProps) {
  const params = useParams<{ id?: string }>();
  const id = comparisonId ?? params?.id ?? "";
  // Once opened, the body stays mounted: a reader who closes and reopens sees what the first request brought.
  const [opened, setOpened] = useState(false);
  const [busy, setBusy] = useState(false);

  return (
    <details
      className={styles.why}
      data-testid={`why-big-${variantKey}`}
      onToggle={(event) => {
        if (!event.currentTarget.open || opened) return;
        setOpened(true);
        setBusy(summary !== null);
      }}
    >
      <summary>Why is it this big?</summary>
      <div className={styles.body} aria-live="polite" aria-busy={busy}>
        {!opened ? null : summary ? (
          <Suspense fallback={<p className="muted">Loading the analysis…</p>}>
            <WhyBigBody comparisonId={id} variantKey={variantKey} onBusy={setBusy} />
          </Suspense>
        ) : (
          <p className="empty">{OLD_MEASUREMENT}</p>
        )}
      </div>
    </details>
  );
}
