"use client";
// A variant's Dockerfile with a "Copy Dockerfile" button. The clipboard API needs a secure
// context and a permission; where it is missing or refused, the text is selected instead
// (and copied the old way where the browser still allows it), ready for Ctrl+C.
import { useEffect, useRef, useState } from "react";

type CopyState = "idle" | "copied" | "selected";

const STATE_TEXT: Record<CopyState, string> = {
  idle: "",
  copied: "Dockerfile copied",
  selected: "Selected: press Ctrl+C (⌘C on a Mac) to copy",
};

export function DockerfileBlock({ variantKey, dockerfile }: { variantKey: string; dockerfile: string }) {
  const [state, setState] = useState<CopyState>("idle");
  const text = useRef<HTMLPreElement>(null);

  useEffect(() => {
    if (state !== "copied") return;
    const timer = window.setTimeout(() => setState("idle"), 2500);
    return () => window.clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard here");
      await navigator.clipboard.writeText(dockerfile);
      setState("copied");
    } catch {
      setState(selectText() && legacyCopy() ? "copied" : "selected");
    }
  }

  function selectText(): boolean {
    const element = text.current;
    const selection = window.getSelection();
    if (!element || !selection) return false;
    selection.selectAllChildren(element);
    element.focus();
    return true;
  }

  return (
    <div className="dockerfile">
      <div className="block-head">
        <h4>Dockerfile</h4>
        <button
          type="button"
          className="button button-secondary button-small"
          aria-label={`Copy Dockerfile of ${variantKey}`}
          data-testid="copy-dockerfile"
          onClick={copy}
        >
          Copy Dockerfile
        </button>
        <span role="status" className="copy-status">
          {STATE_TEXT[state]}
        </span>
      </div>
      <pre ref={text} tabIndex={-1} data-testid="dockerfile">
        {dockerfile}
      </pre>
    </div>
  );
}

/** document.execCommand("copy") is deprecated but the only copy left on plain-HTTP pages. */
function legacyCopy(): boolean {
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}
