"use client";
// "Why is it this big?" for one built variant: a disclosure, closed by default, whose
// contents cost nothing until opened. Opening it fetches the variant's analysis (its own
// endpoint: the comparison's JSON carries only a summary) and loads the views' code
// (the file tree, the treemaps: recharts' Treemap) as a chunk of its own, so neither is in
// the page's first load.
import dynamic from "next/dynamic";
import { useParams } from "next/navigation";
import { useState } from "react";
import type { AnalysisSummary, VariantAnalysisView } from "@/lib/comparisons/types";
import styles from "./analysis.module.css";

const AnalysisPanel = dynamic(() => import("./analysis-panel"), {
  ssr: false,
  loading: () => <p className="muted">Loading the views…</p>,
});

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
        {state.kind === "loaded" ? <AnalysisPanel analysis={state.analysis} variantKey={variantKey} /> : null}
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
