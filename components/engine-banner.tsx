// A warning at the top of a page when the Docker Engine does not answer: comparisons
// would wait in the queue until it does. A server component meant to sit inside
// <Suspense>, so the page around it never waits for the engine.
import { engineProblemCached } from "@/lib/health";
import styles from "./engine-banner.module.css";

// An engine behind an unreachable DOCKER_HOST can hang instead of refusing; give up then.
const HEALTH_TIMEOUT_MS = 3000;

export async function EngineBanner() {
  const reason = await engineProblem();
  if (reason === null) return null;
  return (
    <div className={styles.banner} role="alert" data-testid="engine-banner">
      <p className={styles.title}>The Docker Engine is not reachable — comparisons cannot be built until it is.</p>
      <p className={styles.reason} data-testid="engine-banner-reason">
        {reason}
      </p>
      <p className={styles.fix}>
        Start it on the server with <code>bash scripts/engine.sh</code>, then reload this page. Submitted comparisons wait in
        the queue.
      </p>
    </div>
  );
}

/** Why the engine cannot be used, or null when it answers. */
async function engineProblem(): Promise<string | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`The Docker Engine did not answer within ${HEALTH_TIMEOUT_MS / 1000} s.`), HEALTH_TIMEOUT_MS);
  });
  const health = engineProblemCached().then(
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
