// Copying a block of text: the clipboard API where the browser allows it (a secure
// context and a permission); else the text is selected (and copied the old way where the
// browser still allows it), ready for Ctrl+C. "copied" goes back to idle after 2.5 s.
import { useEffect, useRef, useState, type RefObject } from "react";

export type CopyState = "idle" | "copied" | "selected";

export function useCopyText(text: string): { state: CopyState; copy: () => Promise<void>; target: RefObject<HTMLPreElement | null> } {
  const [state, setState] = useState<CopyState>("idle");
  const target = useRef<HTMLPreElement>(null);

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
      const element = target.current;
      const selection = window.getSelection();
      if (!element || !selection) return setState("selected");
      selection.selectAllChildren(element);
      element.focus();
      setState(legacyCopy() ? "copied" : "selected");
    }
  }

  return { state, copy, target };
}

/** document.execCommand("copy") is deprecated but the only copy left on plain-HTTP pages. */
function legacyCopy(): boolean {
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}
