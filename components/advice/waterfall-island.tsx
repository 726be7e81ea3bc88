"use client";
// The waterfall chart as a client island loaded on its own (React's lazy(), rendered only
// in the browser): recharts comes with this page's chunk only, never with /c/<id>'s first
// load. The table beside it carries the same figures as text.
import { lazy, Suspense } from "react";
import type { WaterfallBar } from "@/lib/advice/waterfall";
import { useHydrated } from "../use-hydrated";

const WaterfallChart = lazy(() => import("./waterfall-chart"));

export function WaterfallIsland({ bars, title, description }: { bars: WaterfallBar[]; title: string; description: string }) {
  const hydrated = useHydrated();
  const placeholder = <div style={{ height: 260 }} aria-hidden="true" />;
  return (
    <figure className="chart" data-testid="waterfall" aria-label={description}>
      <figcaption className="chart-head">
        <span className="chart-title">{title}</span>
      </figcaption>
      {hydrated ? (
        <Suspense fallback={placeholder}>
          <WaterfallChart bars={bars} title={title} />
        </Suspense>
      ) : (
        placeholder
      )}
    </figure>
  );
}
