"use client";
// The inside of an opened "Why is it this big?" (why-big.tsx loads it with React's lazy()):
// fetches the variant's analysis and shows it (analysis-panel.tsx), or the empty state of
// an old measurement, or the error with a way to try again. It and the views it imports
// (the file tree, the treemaps: recharts' Treemap) form one chunk, loaded on opening.
import { useEffect, useRef, useState } from "react";
import type { VariantAnalysisView } from "@/lib/comparisons/types";
import AnalysisPanel from "./analysis-panel";
import { OLD_MEASUREMENT } from "./messages";

type State =
  | { kind: "loading" }
  | { kind: "missing" }
  | { kind: "error"; message: string }
  | { kind: "loaded"; analysis: VariantAnalysisView };

interface WhyBigBodyProps {
  comparisonId: string;
  variantKey: string;
  /** Told whether the analysis is on its way (the disclosure's aria-busy). */
  onBusy: (busy: boolean) => void;
}

export default function WhyBigBody({ comparisonId, variantKey, onBusy }: WhyBigBodyProps) {
  const [state, setState] = useState<State>({ kind: "loading" });
  const started = useRef(false);

  const load = () => {
    setState({ kind: "loading" });
    const url = `/api/comparisons/${encodeURIComponent(comparisonId)}/variants/${encodeURIComponent(variantKey)}/analysis`;
    // Not aborted on close: a reader who closes and reopens sees what the first request brought.
    fetchAnalysis(url).then(setState, (error: unknown) => setState({ kind: "error", message: String(error) }));
  };

  // The first request, once, when first opened (the body is mounted then and stays
  // mounted; the ref keeps a development double mount from asking twice). Try again asks again.
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    load();
  }, []);

  useEffect(() => onBusy(state.kind === "loading"), [onBusy, state.kind]);

  switch (state.kind) {
    case "loading":
      return <p className="muted">Loading the analysis…</p>;
    case "missing":
      return <p className="empty">{OLD_MEASUREMENT}</p>;
    case "error":
      return (
        <p className="error-box" role="alert">
          Could not load the analysis: {state.message}{" "}
          <button type="button" className="button button-secondary button-small" onClick={load}>
            Try again
          </button>
        </p>
      );
    case "loaded":
      return <AnalysisPanel analysis={state.analysis} variantKey={variantKey} />;
  }
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
