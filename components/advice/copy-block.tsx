"use client";
// A patch, a build command or a Dockerfile of an advice step, with a Copy button: the
// clipboard API where the browser allows it, else the text is selected for Ctrl+C (as
// components/dockerfile-block.tsx does for a variant's Dockerfile).
import { useEffect, useRef, useState } from "react";

export function CopyBlock({ label, text, testId }: { label: string; text: string; testId?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "selected">("idle");
  const pre = useRef<HTMLPreElement>(null);

  useEffect(() => {
    if (state !== "copied") return;
    const timer = window.setTimeout(() => setState("idle"), 2500);
    return () => window.clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard here");
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      const selection = window.getSelection();
      if (pre.current && selection) {
        selection.selectAllChildren(pre.current);
        pre.current.focus();
      }
      let copied = false;
      try {
        copied = document.execCommand("copy");
      } catch {
        copied = false;
      }
      setState(copied ? "copied" : "selected");
    }
  }

  return (
    <div className="dockerfile" data-testid={testId}>
      <div className="block-head">
        <button type="button" className="button button-secondary button-small" aria-label={`Copy ${label}`} data-testid="copy-patch" onClick={copy}>
          Copy {label}
        </button>
        <span role="status" className="copy-status">
          {state === "copied" ? "Copied" : state === "selected" ? "Selected: press Ctrl+C (⌘C on a Mac) to copy" : ""}
        </span>
      </div>
      <pre ref={pre} tabIndex={-1} data-testid="patch-text">
        {text}
      </pre>
    </div>
  );
}
