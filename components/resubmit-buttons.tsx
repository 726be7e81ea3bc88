"use client";
// One button per ready-made submission (the same repository again, with another main
// package or module folder): each starts a comparison through the public API, as the
// home form does, and opens its page. The API's own message is shown when it refuses.
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { Choice } from "./next-steps-plan";
import styles from "./next-steps.module.css";
import { readApiError, readStartedUrl } from "@/lib/comparisons/api-answer";

export function ResubmitButtons({ choices }: { choices: Choice[] }) {
  const router = useRouter();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function start(choice: Choice) {
    setPending(choice.testId);
    setError(null);
    try {
      const response = await fetch("/api/comparisons", {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(choice.body),
      });
      const body: unknown = await response.json().catch(() => null);
      const url = response.ok ? readStartedUrl(body) : null;
      if (!url) {
        setError(
          response.ok
            ? "The server answered without a comparison link. Please try again."
            : (readApiError(body)?.message ?? `Could not start the comparison (HTTP ${response.status}).`),
        );
        setPending(null);
        return;
      }
      // Stay pending while the new comparison's page loads.
      router.push(url);
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
      setPending(null);
    }
  }

  return (
    <div>
      <ul className={styles.choices}>
        {choices.map((choice) => (
          <li key={choice.testId}>
            <button
              type="button"
              className={choices.length === 1 ? "button button-small" : "button button-secondary button-small"}
              onClick={() => void start(choice)}
              disabled={pending !== null}
              aria-busy={pending === choice.testId}
              data-testid={choice.testId}
            >
              {pending === choice.testId ? "Starting…" : choice.label}
            </button>
          </li>
        ))}
      </ul>
      <div aria-live="polite">
        {error ? (
          <p className="form-error" role="alert" data-testid="next-step-error">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
