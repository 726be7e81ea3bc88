"use client";
// The waterfall chart as a client island loaded on its own (next/dynamic, no server
// render): recharts comes with this page's chunk only, never with /c/<id>'s first load.
// The table beside it carries the same figures as text.
import dynamic from "next/dynamic";
import type { WaterfallBar } from "@/lib/advice/waterfall";

const WaterfallChart = dynamic(() => import("./waterfall-chart"), {
  ssr: false,
  loading: () => <div style={{ height: 260 }} aria-hidden="true" />,
});

export function WaterfallIsland({ bars, title, description }: { bars: WaterfallBar[]; title: string; description: string }) {
  return (
    <figure className="chart" data-testid="waterfall" aria-label={description}>
      <figcaption className="chart-head">
        <span className="chart-title">{title}</span>
      </figcaption>
      <WaterfallChart bars={bars} title={title} />
    </figure>
  );
}
