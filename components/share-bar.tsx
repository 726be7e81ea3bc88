"use client";
// The comparison's sharing row: "Copy link", "Copy badge Markdown" and the way to the
// repository's history. The clipboard API needs a secure context and a permission; where
// it is missing or refused, the text appears selected in a field instead, ready to copy.
import { useEffect, useRef, useState } from "react";
import styles from "./share-bar.module.css";

interface ShareBarProps {
  /** The comparison's id: the link is /c/<id>, the badge /c/<id>/badge.svg. */
  id: string;
  /** "/r/github.com/owner/name", when the repository has a history page. */
  historyPath: string | null;
}

type Copyable = "link" | "badge";

export function ShareBar({ id, historyPath }: ShareBarProps) {
  const [copied, setCopied] = useState<Copyable | null>(null);
  const [fallback, setFallback] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (fallback !== null) field.current?.select();
  }, [fallback]);

  useEffect(() => {
    if (copied === null) return;
    const timer = window.setTimeout(() => setCopied(null), 2500);
    return () => window.clearTimeout(timer);
  }, [copied]);

  async function copy(what: Copyable) {
    const page = `${window.location.origin}/c/${id}`;
    const text = what === "link" ? page : `[![image size](${page}/badge.svg)](${page})`;
    try {
      if (!navigator.clipboard) throw new Error("no clipboard here");
      await navigator.clipboard.writeText(text);
      setFallback(null);
      setCopied(what);
    } catch {
      setCopied(null);
      setFallback(text);
    }
  }

  return (
    <div className={styles.bar} data-testid="share">
      <button type="button" className="button button-secondary button-small" onClick={() => copy("link")}>
        Copy link
      </button>
      <button type="button" className="button button-secondary button-small" onClick={() => copy("badge")}>
        Copy badge Markdown
      </button>
      {historyPath ? (
        <a href={historyPath} className={styles.history} data-testid="history-link">
          All comparisons of this repository
        </a>
      ) : null}
      <span role="status" className={styles.status}>
        {copied === "link" ? "Link copied" : copied === "badge" ? "Badge Markdown copied" : ""}
      </span>
      {fallback !== null ? (
        <label className={styles.fallback}>
          <span>Copy it with Ctrl+C (⌘C on a Mac):</span>
          <input
            ref={field}
            type="text"
            readOnly
            value={fallback}
            data-testid="share-fallback"
            onFocus={(event) => event.currentTarget.select()}
          />
        </label>
      ) : null}
    </div>
  );
}
