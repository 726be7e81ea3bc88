"use client";
// Live progress of a comparison that is still running, fed by its event stream: a bar
// across every variant's build and run check, the current phase, and the newest build
// log lines. The browser's EventSource reconnects on its own with Last-Event-ID, and
// lines are kept by their absolute number, so a reconnect never shows a line twice.
// When a variant changes state, and when the comparison is done, the server component
// is refreshed from the database to show the sizes.
import { useRouter } from "next/navigation";
import { Fragment, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { LogEventData, PhaseEventData } from "@/lib/progress/events";
import { applyLogEvent, EMPTY_TAIL, tailBlocks } from "@/lib/progress/log-tail";
import styles from "./live-progress.module.css";

const TAIL_LINES = 200;

type Connection = "connecting" | "live" | "reconnecting" | "finished" | "lost";

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Connection lost, reconnecting…",
  finished: "Finished, loading the results…",
  lost: "Live updates stopped; reload the page to see the latest state.",
};

export function LiveProgress({ id, initial }: { id: string; initial: PhaseEventData }) {
  const router = useRouter();
  const [phase, setPhase] = useState(initial);
  const [tail, setTail] = useState(EMPTY_TAIL);
  const [connection, setConnection] = useState<Connection>("connecting");
  const shown = useRef(stateOf(initial));

  useEffect(() => {
    const source = new EventSource(`/api/comparisons/${encodeURIComponent(id)}/events`);
    source.onopen = () => setConnection("live");
    source.onerror = () => setConnection(source.readyState === EventSource.CLOSED ? "lost" : "reconnecting");
    source.addEventListener("phase", (event: MessageEvent<string>) => {
      const data = JSON.parse(event.data) as PhaseEventData;
      setPhase(data);
      // A variant built or checked: the page below has new numbers to show.
      const state = stateOf(data);
      if (state !== shown.current) {
        shown.current = state;
        router.refresh();
      }
    });
    source.addEventListener("log", (event: MessageEvent<string>) => {
      const data = JSON.parse(event.data) as LogEventData;
      setTail((current) => applyLogEvent(current, data, TAIL_LINES));
    });
    source.addEventListener("done", () => {
      // Closed before the server ends the stream, or EventSource would reconnect.
      source.close();
      setConnection("finished");
      router.refresh();
    });
    return () => source.close();
  }, [id, router]);

  const { done, total } = phase.progress;
  const percent = total > 0 ? Math.round((done / total) * 100) : 0;
  const blocks = tailBlocks(tail, TAIL_LINES);

  // Follow the newest line unless the reader scrolled up to read.
  const logRef = useRef<HTMLPreElement>(null);
  const following = useRef(true);
  useLayoutEffect(() => {
    const log = logRef.current;
    if (log && following.current) log.scrollTop = log.scrollHeight;
  }, [tail]);

  return (
    <section className={styles.live} aria-label="Live progress">
      <div className={styles.top}>
        <span className={styles.phase} data-testid="phase">
          {phase.phase ?? (phase.status === "queued" ? "Waiting for a free worker…" : phase.status)}
        </span>
        <span className={styles.connection} role="status">
          {CONNECTION_TEXT[connection]}
        </span>
      </div>
      <div
        className={styles.bar}
        role="progressbar"
        aria-label="Progress of the comparison"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}% (${done} of ${total} steps)`}
        data-testid="progress"
      >
        <div className={styles.fill} style={{ width: `${percent}%` }} />
      </div>
      <p className={styles.steps}>
        {done} of {total} steps: reading the source, then a build and a run check per variant
      </p>
      {phase.variants.length > 0 ? (
        <ul className={styles.variants} aria-label="Variants">
          {phase.variants.map((variant) => (
            <li key={variant.key}>
              <code>{variant.key}</code>
              <span className={`badge badge-${variant.status}`}>{variant.status}</span>
              {variant.runVerdict && variant.runVerdict !== "skipped" ? (
                <span className={`badge badge-${variant.runVerdict}`}>run: {variant.runVerdict}</span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <pre
        ref={logRef}
        className={styles.log}
        data-testid="log-tail"
        tabIndex={0}
        aria-label="Build log, newest lines"
        onScroll={(event) => {
          const log = event.currentTarget;
          following.current = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
        }}
      >
        {blocks.length === 0 ? (
          <span className={styles.waiting}>No build output yet.</span>
        ) : (
          blocks.map((block) => (
            <Fragment key={block.variant}>
              <span className={styles.block}>
                ── {block.variant}
                {block.hidden > 0 ? ` (${block.hidden} earlier lines not shown)` : ""} ──
              </span>
              {block.lines.map((line) => (
                <span key={line.n} data-line={`${block.variant}:${line.n}`}>
                  {line.text}
                  {"\n"}
                </span>
              ))}
            </Fragment>
          ))
        )}
      </pre>
    </section>
  );
}

// What the page below shows of the comparison: its status and each variant's state.
const stateOf = (data: PhaseEventData): string =>
  JSON.stringify([data.status, data.variants.map((v) => [v.key, v.status, v.runVerdict])]);
