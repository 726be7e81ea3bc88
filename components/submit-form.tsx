"use client";
// The form that starts a comparison of any repository: checked in the browser with the
// server's rules (lib/source/repo-input.ts), sent to the public API, and
// every error shown next to the field it is about. What was typed stays on screen.
import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from "react";
import {
  SUBMIT_FIELDS,
  submissionBody,
  validateSubmission,
  type SubmitErrors,
  type SubmitField,
  type SubmitValues,
} from "@/lib/source/repo-input";
import { readRunInput } from "@/lib/comparisons/run-input";
import type { Prefill } from "./corrections";
import styles from "./submit-form.module.css";
import { useStartComparison } from "./use-start-comparison";

type RunField = "runArgs" | "runEnv";
const RUN_FIELDS: Record<RunField, FieldSpec> = {
  runArgs: {
    label: "Run arguments",
    optional: true,
    placeholder: "--version",
    hint: "Passed to the program by every run check, e.g. --version or 'BEGIN { print 1 }' (quotes keep spaces).",
  },
  runEnv: {
    label: "Run environment",
    optional: true,
    placeholder: "TZ=Europe/Berlin",
    hint: "NAME=value pairs separated by spaces, e.g. TZ=Europe/Berlin LOG_LEVEL=debug.",
  },
};

interface FieldSpec {
  label: string;
  optional: boolean;
  placeholder: string;
  hint: string;
}

const FIELDS: Record<SubmitField, FieldSpec> = {
  repo: {
    label: "Repository URL",
    optional: false,
    placeholder: "https://github.com/owner/repo",
    hint: "A public git repository over https://, http:// or git://, or example:<name> for a sample.",
  },
  ref: { label: "Ref", optional: true, placeholder: "main", hint: "Branch, tag or commit. Default branch when empty." },
  subdir: { label: "Subdirectory", optional: true, placeholder: "services/api", hint: "Folder holding go.mod, for monorepos." },
  mainPackage: { label: "Main package", optional: true, placeholder: "./cmd/server", hint: "When the module has several." },
};

const EMPTY: SubmitValues = { repo: "", ref: "", subdir: "", mainPackage: "" };

/** `initial`: the fields filled in from the page's query (a failed comparison's "Correct the submission"). */
export function SubmitForm({ initial = null }: { initial?: Prefill | null }) {
  const [values, setValues] = useState<SubmitValues>(initial?.values ?? EMPTY);
  const [run, setRun] = useState<Record<RunField, string>>({ runArgs: "", runEnv: "" });
  const [runError, setRunError] = useState<{ field: RunField; message: string } | null>(null);
  // "Make it smaller, proven" after the comparison (lib/advice): on unless unticked.
  const [advice, setAdvice] = useState(true);
  const [errors, setErrors] = useState<SubmitErrors>(initial?.error ? { [initial.error.field]: initial.error.message } : {});
  const [formError, setFormError] = useState<string | null>(null);
  const { pending: starting, start } = useStartComparison();
  const pending = starting !== null;
  const inputs = useRef<Partial<Record<SubmitField, HTMLInputElement | null>>>({});
  const firstField = initial?.error?.field;

  // Opened to correct a submission: the field to change has the focus, its text selected.
  useEffect(() => {
    if (!firstField) return;
    inputs.current[firstField]?.focus();
    inputs.current[firstField]?.select();
  }, [firstField]);

  function showErrors(found: SubmitErrors) {
    setErrors(found);
    const first = SUBMIT_FIELDS.find((field) => found[field]);
    if (first) inputs.current[first]?.focus();
  }

  function onChange(event: ChangeEvent<HTMLInputElement>) {
    const field = event.target.name as SubmitField;
    setValues((current) => ({ ...current, [field]: event.target.value }));
    // An edited field's old message no longer describes it.
    if (errors[field]) {
      setErrors((current) => {
        const next = { ...current };
        delete next[field];
        return next;
      });
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    setFormError(null);
    const found = validateSubmission(values);
    if (Object.keys(found).length > 0) {
      showErrors(found);
      return;
    }
    setErrors({});
    const runInput = readRunInput(run.runArgs, run.runEnv);
    if (!runInput.ok) {
      setRunError({ field: runInput.field, message: runInput.message });
      document.getElementById(`submit-${runInput.field}`)?.focus();
      return;
    }
    setRunError(null);
    const failure = await start("form", {
      ...submissionBody(values),
      ...(runInput.runArgs ? { runArgs: runInput.runArgs } : {}),
      ...(runInput.runEnv ? { runEnv: runInput.runEnv } : {}),
      ...(advice ? {} : { advice: false }),
    });
    if (!failure) return;
    // The API names the field it refuses: marked where it is, else said under the form.
    if (failure.field && isSubmitField(failure.field)) showErrors({ [failure.field]: failure.message });
    else if (failure.field?.startsWith("run")) setRunError({ field: failure.field.startsWith("runEnv") ? "runEnv" : "runArgs", message: failure.message });
    else setFormError(failure.message);
  }

  const field = (name: SubmitField) => {
    const spec = FIELDS[name];
    const error = errors[name];
    const hintId = `submit-${name}-hint`;
    const errorId = `submit-${name}-error`;
    return (
      <div className={name === "repo" ? `${styles.field} ${styles.repo}` : styles.field}>
        <label htmlFor={`submit-${name}`} className={styles.label}>
          {spec.label}
          {spec.optional ? <span className={styles.optional}> (optional)</span> : null}
        </label>
        <input
          ref={(element) => {
            inputs.current[name] = element;
          }}
          id={`submit-${name}`}
          name={name}
          type="text"
          inputMode={name === "repo" ? "url" : "text"}
          className={error ? `${styles.input} ${styles.inputInvalid}` : styles.input}
          value={values[name]}
          onChange={onChange}
          placeholder={spec.placeholder}
          required={!spec.optional}
          autoComplete="off"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} ${hintId}` : hintId}
          data-testid={`submit-${name}`}
        />
        {error ? (
          <p id={errorId} className={styles.error} data-testid={`submit-${name}-error`}>
            {error}
          </p>
        ) : null}
        <p id={hintId} className={styles.hint}>
          {spec.hint}
        </p>
      </div>
    );
  };

  return (
    <form className={styles.form} onSubmit={(event) => void onSubmit(event)} noValidate aria-busy={pending} data-testid="submit-form">
      {field("repo")}
      <div className={styles.options}>
        {field("ref")}
        {field("subdir")}
        {field("mainPackage")}
      </div>
      <details className={styles.runOptions} open={runError !== null || undefined}>
        <summary>Run check options</summary>
        <div className={styles.options}>
          {(Object.keys(RUN_FIELDS) as RunField[]).map((name) => {
            const spec = RUN_FIELDS[name];
            const error = runError?.field === name ? runError.message : null;
            return (
              <div className={styles.field} key={name}>
                <label htmlFor={`submit-${name}`} className={styles.label}>
                  {spec.label}
                  <span className={styles.optional}> (optional)</span>
                </label>
                <input
                  id={`submit-${name}`}
                  name={name}
                  type="text"
                  className={error ? `${styles.input} ${styles.inputInvalid}` : styles.input}
                  value={run[name]}
                  onChange={(event) => {
                    const value = event.target.value;
                    setRun((current) => ({ ...current, [name]: value }));
                    if (runError?.field === name) setRunError(null);
                  }}
                  placeholder={spec.placeholder}
                  autoComplete="off"
                  autoCapitalize="none"
                  autoCorrect="off"
                  spellCheck={false}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `submit-${name}-error submit-${name}-hint` : `submit-${name}-hint`}
                  data-testid={`submit-${name}`}
                />
                {error ? (
                  <p id={`submit-${name}-error`} className={styles.error} data-testid={`submit-${name}-error`}>
                    {error}
                  </p>
                ) : null}
                <p id={`submit-${name}-hint`} className={styles.hint}>
                  {spec.hint}
                </p>
              </div>
            );
          })}
        </div>
      </details>
      <div className={styles.check}>
        <input
          id="submit-advice"
          name="advice"
          type="checkbox"
          checked={advice}
          onChange={(event) => setAdvice(event.target.checked)}
          aria-describedby="submit-advice-hint"
          data-testid="submit-advice"
        />
        <label htmlFor="submit-advice" className={styles.label}>
          Make it smaller, proven — after the comparison
        </label>
        <p id="submit-advice-hint" className={styles.hint}>
          Builds and run-checks changes that make the image smaller once the comparison is done; it never delays the comparison.
        </p>
      </div>
      <div aria-live="polite">
        {formError ? (
          <p className={`form-error ${styles.formError}`} role="alert" data-testid="submit-error">
            {formError}
          </p>
        ) : null}
      </div>
      <button type="submit" className={`button ${styles.submit}`} disabled={pending} data-testid="submit-button">
        {pending ? "Starting comparison…" : "Compare image sizes"}
      </button>
    </form>
  );
}



const isSubmitField = (value: string): value is SubmitField => (SUBMIT_FIELDS as readonly string[]).includes(value);
