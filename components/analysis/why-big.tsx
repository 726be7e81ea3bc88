"use client";
// "Why is it this big?" for one built variant: a disclosure, closed by default, whose
// contents cost nothing until opened. Opening it fetches the variant's analysis (its own
// endpoint: the comparison's JSON carries only a summary) and loads the views' code
// (the file tree, the treemaps: recharts' Treemap) as a chunk of its own, so neither is in
// the page's first load. React's lazy() splits it as next/dynamic would, without bringing
// next/dynamic's own code into the first load; the panel renders only once its analysis
// has arrived, which never happens on the server, so nothing of it is server-rendered
// (as with next/dynamic's ssr: false).
import { useParams } from "next/navigation";
import { lazy, Suspense, useState } from "react";
import type { AnalysisSummary, VariantAnalysisView } from "@/lib/comparisons/types";
// Its own two classes: the whole analysis.module.css's class map belongs to the panel's chunk.
import styles from "./why-big.module.css";

const AnalysisPanel = lazy(() => import("./analysis-panel"));

export const OLD_MEASUREMENT = "File list unavailable: this image's layers were measured before this version of Slimstage listed files.";

type State =
  | { kind: "closed" }
  | { kind: "loading" }
  | { kind: "missing" }
  | { kind: "error"; message: string }
  | { kind: "loaded"; analysis: VariantAnalysisView };

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
  const [state, setState] = useState<State>({ kind: "closed" });

  const load = () => {
    if (!summary) return setState({ kind: "missing" });
    setState({ kind: "loading" });
    const url = `/api/comparisons/${encodeURIComponent(id)}/variants/${encodeURIComponent(variantKey)}/analysis`;
    // Not aborted on close: a reader who closes and reopens sees what the first request brought.
    fetchAnalysis(url).then(setState, (error: unknown) => setState({ kind: "error", message: String(error) }));
  };

  return (
    <details
      className={styles.why}
      data-testid={`why-big-${variantKey}`}
      onToggle={(event) => {
        if (event.currentTarget.open && state.kind === "closed") load();
      }}
    >
      <summary>Why is it this big?</summary>
      <div className={styles.body} aria-live="polite" aria-busy={state.kind === "loading"}>
        {state.kind === "loading" ? <p className="muted">Loading the analysis…</p> : null}
        {state.kind === "missing" ? <p className="empty">{OLD_MEASUREMENT}</p> : null}
        {state.kind === "error" ? (
          <p className="error-box" role="alert">
            Could not load the analysis: {state.message}{" "}
            <button type="button" className="button button-secondary button-small" onClick={load}>
              Try again
            </button>
          </p>
        ) : null}
        {state.kind === "loaded" ? (
          <Suspense fallback={<p className="muted">Loading the views…</p>}>
            <AnalysisPanel analysis={state.analysis} variantKey={variantKey} />
          </Suspense>
        ) : null}
      </div>
    </details>
  );
}

async function fetchAnalysis(url: string): Promise<State> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  const body: unknown = await response.json().catch(() => null);
  if (response.ok && isAnalysis(body)) return { kind: "loaded", analysis: body };
  const error = errorOf(body);
  if (error?.code === "ANALYSIS_NOT_FOUND") return { kind: "missing" };
  return { kind: "error", message: error?.message || `the server answered ${response.status}` };
}

// The API's error shape: { error: { code, message } }.
function errorOf(body: unknown): { code: string; message: string } | null {
  const error: unknown = typeof body === "object" && body !== null && "error" in body ? body.error : null;
  if (typeof error !== "object" || error === null) return null;
  const code = "code" in error && typeof error.code === "string" ? error.code : "";
  const message = "message" in error && typeof error.message === "string" ? error.message : "";
  return { code, message };
}

// The server checked it with zod (lib/comparisons/analysis-schema.ts); this only tells it from an error body.
function isAnalysis(body: unknown): body is VariantAnalysisView {
  return typeof body === "object" && body !== null && "tree" in body && "efficiency" in body && "buildOnly" in body && "binary" in body;
}
