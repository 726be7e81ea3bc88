// How the Docker adapter talks about its connection: what an error from dockerode
// means (an HTTP answer, or no engine at all), and a retry for reads on a connection
// that went stale when the engine restarted. Shared by the docker-*.ts parts.
import { EngineUnavailableError } from "./engine";

// A connection kept alive to an engine that has since restarted fails once (EPIPE,
// ECONNRESET); the next request opens a new one. Only idempotent reads are retried.
export async function reconnecting<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const code = typeof error === "object" && error !== null && "code" in error ? (error as { code: unknown }).code : undefined;
    if (code !== "EPIPE" && code !== "ECONNRESET") throw error;
    return read();
  }
}

export function statusOf(error: unknown): number | undefined {
  return typeof error === "object" && error !== null && "statusCode" in error
    ? (error as { statusCode?: number }).statusCode
    : undefined;
}

/** The engine's own message of an HTTP error, else the error's. */
export function engineMessage(error: unknown): string {
  const json = typeof error === "object" && error !== null && "json" in error ? (error as { json?: { message?: string } }).json : undefined;
  return json?.message ?? (error instanceof Error ? error.message : String(error));
}

/** An HTTP answer stays what it is; anything else means no engine answered. */
export function wrapConnection(error: unknown, where = "its address"): Error {
  if (statusOf(error) !== undefined) return error instanceof Error ? error : new Error(String(error));
  return new EngineUnavailableError(describeConnection(error, where));
}

export function describeConnection(error: unknown, where: string): string {
  const code = typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : "";
  if (code === "ENOENT" || code === "ECONNREFUSED") return `no Docker Engine answers at ${where}; start it (scripts/engine.sh) or set DOCKER_HOST`;
  if (code === "EACCES") return `permission denied on ${where}; run as a user in the docker group or set DOCKER_HOST`;
  return `the Docker Engine at ${where} did not answer: ${error instanceof Error ? error.message : String(error)}`;
}
