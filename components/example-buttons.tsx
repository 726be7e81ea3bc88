"use client";
// One button per bundled example: starts a comparison through the public API and opens
// its page. The API's own error message is shown as is, next to the buttons.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { readApiError, readStartedUrl } from "@/lib/comparisons/api-answer";

export interface ExampleItem {
  name: string;
  description: string;
}


export function ExampleButtons({ examples }: { examples: ExampleItem[] }) {
  const router = useRouter();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function start(name: string) {
    setPending(name);
    setError(null);
    try {
      const response = await fetch("/api/comparisons", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ repo: `example:${name}` }),
      });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        setError(readApiError(body)?.message ?? `Could not start the comparison (HTTP ${response.status}).`);
        setPending(null);
        return;
      }
      const url = readStartedUrl(body);
      if (!url) {
        setError("The server answered without a comparison link. Please try again.");
        setPending(null);
        return;
      }
      // Stay pending while the next page loads.
      router.push(url);
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
      setPending(null);
    }
  }

  if (examples.length === 0) {
    return <p className="muted">No sample programs are bundled with this server.</p>;
  }

  return (
    <div>
      <ul className="examples">
        {examples.map((example) => (
          <li key={example.name} className="example">
            <button
              type="button"
              className="button"
              onClick={() => void start(example.name)}
              disabled={pending !== null}
              aria-busy={pending === example.name}
              data-testid={`example-${example.name}`}
            >
              {pending === example.name ? `Starting ${example.name}…` : example.name}
            </button>
            <p>{example.description}</p>
          </li>
        ))}
      </ul>
      <div aria-live="polite">
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
