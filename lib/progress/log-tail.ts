// The browser's side of the build-log stream, pure: fold log events into per-variant
// line ranges by absolute line number, so a resent or overlapping event replaces lines
// instead of repeating them, and cut the combined tail to what the page shows.
import type { LogEventData } from "@/lib/progress/events";

export interface VariantLines {
  /** Absolute number of lines[0] in the variant's build log. */
  first: number;
  lines: string[];
}

export interface LogTail {
  /** Variant keys in the order their logs arrived (the build order). */
  order: string[];
  logs: Record<string, VariantLines>;
}

export const EMPTY_TAIL: LogTail = { order: [], logs: {} };

export function applyLogEvent(tail: LogTail, event: LogEventData, keep = 200): LogTail {
  const { variant, from } = event;
  const held = event.reset ? undefined : tail.logs[variant];
  let next: VariantLines;
  if (held && from >= held.first && from <= held.first + held.lines.length) {
    next = { first: held.first, lines: [...held.lines.slice(0, from - held.first), ...event.lines] };
  } else {
    // Nothing held, a reset, or not contiguous with what is held: start over at `from`.
    next = { first: from, lines: event.lines };
  }
  if (next.lines.length > keep) next = { first: next.first + next.lines.length - keep, lines: next.lines.slice(-keep) };

  if (event.reset && next.lines.length === 0) {
    const { [variant]: _dropped, ...logs } = tail.logs;
    return { order: tail.order.filter((key) => key !== variant), logs };
  }
  return {
    order: tail.order.includes(variant) ? tail.order : [...tail.order, variant],
    logs: { ...tail.logs, [variant]: next },
  };
}

export interface TailBlock {
  variant: string;
  /** Lines of this variant before the first one shown. */
  hidden: number;
  lines: Array<{ n: number; text: string }>;
}

/** The last `count` lines across variants, grouped by variant in build order. */
export function tailBlocks(tail: LogTail, count = 200): TailBlock[] {
  const blocks: TailBlock[] = [];
  let room = count;
  for (const variant of [...tail.order].reverse()) {
    if (room <= 0) break;
    const { first, lines } = tail.logs[variant];
    if (lines.length === 0) continue;
    const shown = lines.slice(-room);
    room -= shown.length;
    const start = first + lines.length - shown.length;
    blocks.unshift({ variant, hidden: start, lines: shown.map((text, i) => ({ n: start + i, text })) });
  }
  return blocks;
}
