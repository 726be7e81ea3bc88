"use client";
// One button per ready-made submission (the same repository again, with another main
// package or module folder): each starts a comparison through the public API, as the
// home form does, and opens its page. The API's own message is shown when it refuses.
import type { Choice } from "./next-steps-plan";
import styles from "./next-steps.module.css";
import { useStartComparison } from "./use-start-comparison";

export function ResubmitButtons({ choices }: { choices: Choice[] }) {
  const { pending, error, start } = useStartComparison();

  return (
    <div>
      <ul className={styles.choices}>
        {choices.map((choice) => (
          <li key={choice.testId}>
            <button
              type="button"
              className={choices.length === 1 ? "button button-small" : "button button-secondary button-small"}
              onClick={() => void start(choice.testId, choice.body)}
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
            {error.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}
