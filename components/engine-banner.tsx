// A warning at the top of a page when no build worker has a Docker Engine that answers
// (as the workers report it in the database): comparisons wait in the queue until one
// does. A server component meant to sit inside <Suspense>, so the page never waits.
import { buildProblemCached } from "@/lib/health";
import { web } from "@/lib/roots/web";
import styles from "./engine-banner.module.css";

// A database that hangs should not hold the banner up; give up then.
const HEALTH_TIMEOUT_MS = 3000;

export async function EngineBanner() {
  const reason = await engineProblem();
  if (reason === null) return null;
  return (
    <div className={styles.banner} role="alert" data-testid="engine-banner">
      <p className={styles.title}>No Docker Engine is available to build — comparisons cannot be built until one is.</p>
      <p className={styles.reason} data-testid="engine-banner-reason">
        {reason}
      </p>
      <p className={styles.fix}>
        Start one on the server (<code>bash scripts/engine.sh</code>, then <code>npm run worker</code>), then reload this page. Submitted comparisons wait in
        the queue.
      </p>
    </div>
  );
}

/** Why the engine cannot be used, or null when it answers. */
async function engineProblem(): Promise<string | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`The build workers' status did not arrive within ${HEALTH_TIMEOUT_MS / 1000} s.`), HEALTH_TIMEOUT_MS);
  });
  const health = buildProblemCached(web().db).then(
    (problem) => (problem === null ? null : sentence(problem)),
    (error: unknown) => sentence(error instanceof Error ? error.message : String(error)),
  );
  try {
    return await Promise.race([health, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const sentence = (text: string): string => {
  const trimmed = text.trim();
  const capitalised = `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}`;
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
};
