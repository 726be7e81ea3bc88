"use client";
// The box a chart's plot goes in. The plot (recharts, about 430 KiB) is a chunk of its own
// (React's lazy()), rendered only once the box has come into view
// (IntersectionObserver), or at once when the reader reaches for the chart (`live`); from
// then on it stays. Until then the box holds the plot's height from the server's HTML on,
// so nothing moves when the plot arrives, and shows the chart's `still` drawing where it
// has one: that one is exact at `stillWidth`, so at that width coming into view is not
// enough, only touching the chart is.
import { Suspense, useEffect, useRef, useState, type ReactNode } from "react";

interface InViewProps {
  height: number;
  /** The reader has touched, focused or clicked the chart: load the plot now. */
  live?: boolean;
  /** What the box shows until the plot has loaded. */
  still?: ReactNode;
  /** The box width at which `still` is exactly the plot's drawing. */
  stillWidth?: number;
  children: ReactNode;
}

export function InView({ height, live = false, still = null, stillWidth, children }: InViewProps) {
  const box = useRef<HTMLDivElement>(null);
  const [seen, setSeen] = useState(false);
  const shown = live || seen;
  useEffect(() => {
    const element = box.current;
    if (shown || !element) return;
    if (typeof IntersectionObserver === "undefined" || typeof ResizeObserver === "undefined") {
      // A browser without the observers gets the plot at once, as before.
      setSeen(true);
      return;
    }
    let visible = false;
    const check = () => {
      if (visible && (stillWidth === undefined || Math.abs(element.clientWidth - stillWidth) >= 1)) setSeen(true);
    };
    const inView = new IntersectionObserver((entries) => {
      visible = entries.some((entry) => entry.isIntersecting);
      check();
    });
    // A page that narrows (a phone turned, a window resized) no longer matches the still.
    const resized = new ResizeObserver(check);
    inView.observe(element);
    resized.observe(element);
    return () => {
      inView.disconnect();
      resized.disconnect();
    };
  }, [shown, stillWidth]);
  return (
    <div ref={box} style={{ minHeight: height }} data-plot={shown ? "shown" : still ? "still" : "pending"}>
      {shown ? <Suspense fallback={still}>{children}</Suspense> : still}
    </div>
  );
}
