"use client";
// A patch, a build command or a Dockerfile of an advice step, with a Copy button: the
// clipboard API where the browser allows it, else the text is selected for Ctrl+C
// (components/use-copy-text.ts, as for a variant's Dockerfile).
import { useCopyText } from "../use-copy-text";

export function CopyBlock({ label, text, testId }: { label: string; text: string; testId?: string }) {
  const { state, copy, target: pre } = useCopyText(text);

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
