import { describe, expect, it } from "vitest";
import { createLogger, knownSecrets, REDACTED, scrubSecrets } from "@/lib/log";

describe("scrubSecrets", () => {
  const cases: Array<[string, string, string[], string]> = [
    ["a URL's user and password", "cloning https://alice:ghp_abc123@github.com/o/r.git", [], `cloning https://${REDACTED}@github.com/o/r.git`],
    ["a token as the user name", "https://ghp_abc123@github.com/o/r", [], `https://${REDACTED}@github.com/o/r`],
    ["a database URL", "postgres://slim:hunter2hunter2@db:5432/x", [], `postgres://${REDACTED}@db:5432/x`],
    ["two URLs in one JSON line", '{"a":"http://u:p@h/x","b":"git://k@h2/y"}', [], `{"a":"http://${REDACTED}@h/x","b":"git://${REDACTED}@h2/y"}`],
    ["a URL without credentials stays", "https://github.com/o/r and example:hello", [], "https://github.com/o/r and example:hello"],
    ["an e-mail address stays", "mail alice@example.com", [], "mail alice@example.com"],
    ["a Bearer header", "authorization: Bearer s3cr3t-t0ken.x", [], `authorization: Bearer ${REDACTED}`],
    ["a known secret anywhere", "token=operator-token-0123456789 and again operator-token-0123456789", ["operator-token-0123456789"], `token=${REDACTED} and again ${REDACTED}`],
    ["short secrets are not looked for", "the word admin", ["admin"], "the word admin"],
  ];
  it.each(cases)("%s", (_name, text, secrets, expected) => {
    expect(scrubSecrets(text, secrets)).toBe(expected);
  });
});

describe("knownSecrets", () => {
  it("takes the operator token and the database password", () => {
    expect(knownSecrets({ adminToken: "operator-token-0123456789", databaseUrl: "postgres://u:p%40ss-word@h/db" })).toEqual([
      "operator-token-0123456789",
      "p%40ss-word",
      "p@ss-word",
    ]);
    expect(knownSecrets({ databaseUrl: "file:/tmp/x.db" })).toEqual([]);
  });
});

describe("createLogger", () => {
  const collect = (secrets: string[] = []) => {
    const lines: string[] = [];
    const log = createLogger({ role: "worker", level: "debug", secrets, destination: { write: (line: string) => void lines.push(line) } });
    return { log, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
  };

  it("writes one JSON object per line with a level name, the role and the child's bindings", () => {
    const { log, lines, records } = collect();
    log.child({ workerId: "w1" }).child({ comparisonId: "c1", variant: "scratch" }).info({ buildSeconds: 1.5 }, "variant built");
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith("\n")).toBe(true);
    expect(records()[0]).toMatchObject({ level: "info", role: "worker", workerId: "w1", comparisonId: "c1", variant: "scratch", buildSeconds: 1.5, msg: "variant built" });
    expect(typeof records()[0].time).toBe("string");
  });

  it("censors secret-bearing keys, and scrubs credentials from messages, bindings and error stacks", () => {
    const secret = "operator-token-0123456789";
    const { log, lines } = collect([secret]);
    log.info({ token: "tok-AAAAAAAAAAAA", headers: { authorization: "Bearer tok-BBBBBBBBBBBB" }, managementToken: "tok-CCCCCCCCCCCC" }, "submitted");
    log.child({ repo: "https://bob:tok-DDDDDDDDDDDD@git.example/r" }).warn("cloning");
    log.error({ err: new Error(`git failed for https://x:tok-EEEEEEEEEEEE@h/r with ${secret}`) }, "clone");
    log.info(`operator said ${secret}`);
    const text = lines.join("");
    for (const leaked of ["tok-AAAA", "tok-BBBB", "tok-CCCC", "tok-DDDD", "tok-EEEE", secret]) expect(text).not.toContain(leaked);
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(text).toContain(REDACTED);
  });

  it("leaves out what is below its level", () => {
    const lines: string[] = [];
    const log = createLogger({ role: "web", level: "warn", destination: { write: (line: string) => void lines.push(line) } });
    log.info("quiet");
    log.warn("loud");
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(["loud"]);
  });
});
