"use client";
// A variant's Dockerfile with a "Copy Dockerfile" button. The clipboard API needs a secure
// context and a permission; where it is missing or refused, the text is selected instead
// (and copied the old way where the browser still allows it), ready for Ctrl+C.
import { useCopyText, type CopyState } from "./use-copy-text";

const STATE_TEXT: Record<CopyState, string> = {
  idle: "",
  copied: "Dockerfile copied",
  selected: "Selected: press Ctrl+C (⌘C on a Mac) to copy",
};

export function DockerfileBlock({ variantKey, dockerfile }: { variantKey: string; dockerfile: string }) {
  const { state, copy, target: text } = useCopyText(dockerfile);

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
