// What a comparison offers next, in place of sharing when it failed (components/
// next-steps-plan.ts decides): one-click submissions — the same input again, each main
// package, each module folder — and a link that reopens the home form filled in with the
// field to correct. A server component; only the buttons run in the browser.
import type { ComparisonView } from "@/lib/comparisons/types";
import { planNextSteps } from "./next-steps-plan";
import { ResubmitButtons } from "./on-demand";
import styles from "./next-steps.module.css";

export function NextSteps({ comparison }: { comparison: ComparisonView }) {
  const steps = planNextSteps(comparison);
  if (!steps) return null;
  const finishedBadly = comparison.status !== "succeeded";
  return (
    <section className={finishedBadly ? `${styles.box} ${styles.failed}` : styles.box} aria-labelledby="next-steps-heading" data-testid="next-steps">
      <h2 id="next-steps-heading" className={styles.heading}>
        {finishedBadly ? "What next" : "Other programs in this module"}
      </h2>
      <p className={styles.lead}>{steps.lead}</p>
      {steps.choices.length > 0 ? <ResubmitButtons choices={steps.choices} /> : null}
      {steps.correct ? (
        <p className={styles.correct}>
          <a href={steps.correct.href} className={steps.choices.length > 0 ? undefined : "button button-small"} data-testid="next-step-correct">
            Correct the submission
          </a>{" "}
          <span className={styles.explanation}>{steps.correct.explanation}</span>
        </p>
      ) : null}
    </section>
  );
}
