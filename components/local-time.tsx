"use client";
// A timestamp in the reader's own locale and time zone. The server cannot know either,
// so it renders UTC text; the first client render repeats it (hydration must match the
// server's HTML) and the next one switches to local time. The <time> keeps the ISO value.
import { formatLocalTimestamp, formatUtcTimestamp } from "@/lib/format";
import { useHydrated } from "./use-hydrated";

export function LocalTime({ iso, className }: { iso: string; className?: string }) {
  const inBrowser = useHydrated();
  const utc = formatUtcTimestamp(iso);
  return (
    <time dateTime={iso} className={className} title={utc}>
      {inBrowser ? formatLocalTimestamp(iso) : utc}
    </time>
  );
}
