// Structured logs: every process (web, worker) writes JSON lines to stdout through one
// pino logger, made once in its composition root and handed down; a part that works for
// one comparison or variant gets a child logger carrying { comparisonId, variant,
// workerId }. Levels come from SLIMSTAGE_LOG_LEVEL. No secret reaches a line: values
// under secret-bearing keys are censored (pino's redact), and every serialized line is
// scrubbed before it is written — credentials in URLs (https://user:token@host),
// `Bearer` values and the exact secrets the process knows (the operator token, a
// database password) — so a message, an error's stack or a binding cannot carry one
// either. `scripts/up.sh` shows the lines through pino-pretty; the files stay JSON.
import { format } from "node:util";
import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";
import stripAnsi from "strip-ansi";

export type Logger = PinoLogger;

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const REDACTED = "[redacted]";

// Keys whose values are secrets wherever they appear (top level, or one object down).
const SECRET_KEYS = ["token", "managementToken", "adminToken", "authorization", "cookie", "password", "secret", "credentials"];
export const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
  "*.headers.authorization",
  "*.headers.cookie",
];

// scheme://userinfo@ — the userinfo stops at the first "/", "@", quote or white space, so
// the pattern never runs across two JSON strings.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'\\]+@/gi;
const BEARER = /\b(bearer\s+)[^\s"'\\,;]+/gi;

/**
 * Pure: `text` without credentials: a URL's user and password, a Bearer value, and each
 * of `secrets` (shorter ones than 8 characters are not looked for: they would hide
 * ordinary words).
 */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(URL_USERINFO, `$1${REDACTED}@`).replace(BEARER, `$1${REDACTED}`);
  for (const secret of secrets) if (secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** The secrets a process knows from its configuration: the operator token and the database URL's password. */
export function knownSecrets(config: { adminToken?: string; databaseUrl?: string }): string[] {
  const secrets: string[] = [];
  if (config.adminToken) secrets.push(config.adminToken);
  const password = config.databaseUrl?.match(/^[a-z]+:\/\/[^/@:]*:([^/@]+)@/i)?.[1];
  if (password) secrets.push(password, decodeURIComponent(password));
  return secrets;
}

export interface LoggerOptions {
  role: "web" | "worker" | (string & {});
  level?: LogLevel;
  /** Exact values never to write (knownSecrets(config)). */
  secrets?: readonly string[];
  /** Where the lines go: stdout (synchronously) unless given, e.g. a test's collector. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets ?? [];
  const out = options.destination ?? pino.destination({ dest: 1, sync: true });
  const scrubbed: DestinationStream = { write: (line: string) => out.write(scrubSecrets(line, secrets)) };
  return pino(
    {
      level: options.level ?? "info",
      base: { role: options.role, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    scrubbed,
  );
}

/** A logger whose messages go to `onLine` as plain text (a bench or test reading what a worker says). */
export function lineLogger(onLine: (message: string, record: Record<string, unknown>) => void, level: LogLevel = "info"): Logger {
  return createLogger({
    role: "worker",
    level,
    destination: {
      write(line: string) {
        const record = JSON.parse(line) as Record<string, unknown>;
        onLine(String(record.msg ?? ""), record);
      },
    },
  });
}

/**
 * Sends what libraries print with console.* (Next.js says "✓ Running next.config.js …")
 * through `log`, so that every line a process writes is a JSON line. For a process's
 * entry point only.
 */
export function routeConsole(log: Logger): void {
  const say = (level: "debug" | "info" | "warn" | "error") => (...args: unknown[]) => {
    const text = stripAnsi(format(...args)).trim();
    if (text) log[level]({ from: "console" }, text);
  };
  console.log = say("info");
  console.info = say("info");
  console.debug = say("debug");
  console.warn = say("warn");
  console.error = say("error");
}

/** A logger that writes nothing (unit tests of parts that log). */
export const silentLogger = (): Logger => pino({ level: "silent" });

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
