// Pure, for the submit form (no node: imports): the run check's arguments and environment
// as a person types them — arguments separated by spaces (quotes keep spaces inside one),
// variables as NAME=value separated by spaces — turned into what the API takes (runArgs,
// runEnv), with the words a person sees when they do not fit. The server checks the same
// limits again with zod (input.ts). And the way back: the stored JSON as the run check's
// arguments and "NAME=value" entries (storedRunSettings), for the pipeline and the advice.

export type RunInput = { ok: true; runArgs?: string[]; runEnv?: Record<string, string> } | { ok: false; field: "runArgs" | "runEnv"; message: string };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Splits on spaces outside quotes; null when a quote is left open. */
export function splitWords(text: string): string[] | null {
  const words: string[] = [];
  let word = "";
  let quote: string | null = null;
  let inWord = false;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = null;
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote) return null;
  if (inWord) words.push(word);
  return words;
}

export function readRunInput(argsText: string, envText: string): RunInput {
  const args = splitWords(argsText.trim());
  if (args === null) return { ok: false, field: "runArgs", message: "A quote is not closed." };
  if (args.length > 20) return { ok: false, field: "runArgs", message: "At most 20 arguments." };
  if (args.some((a) => a.length > 200 || CONTROL.test(a))) return { ok: false, field: "runArgs", message: "Each argument: at most 200 printable characters." };
  const pairs = splitWords(envText.trim());
  if (pairs === null) return { ok: false, field: "runEnv", message: "A quote is not closed." };
  if (pairs.length > 20) return { ok: false, field: "runEnv", message: "At most 20 variables." };
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    const name = at < 0 ? pair : pair.slice(0, at);
    if (at < 0 || !ENV_NAME.test(name)) return { ok: false, field: "runEnv", message: `“${pair}” is not NAME=value (letters, digits and _ in the name), e.g. TZ=Europe/Berlin.` };
    const value = pair.slice(at + 1);
    if (value.length > 500 || CONTROL.test(value)) return { ok: false, field: "runEnv", message: `${name}: at most 500 printable characters.` };
    env[name] = value;
  }
  return { ok: true, ...(args.length ? { runArgs: args } : {}), ...(pairs.length ? { runEnv: env } : {}) };
}

/** Stored as JSON by the service after validation; anything unreadable is left out. */
export function storedRunSettings(argsText: string | null, envText: string | null): { args?: string[]; env?: string[] } {
  const parse = (text: string | null): unknown => {
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      return undefined;
    }
  };
  const args = parse(argsText);
  const env = parse(envText);
  return {
    ...(Array.isArray(args) ? { args: args.map(String) } : {}),
    ...(env && typeof env === "object" ? { env: Object.entries(env).map(([name, value]) => `${name}=${String(value)}`) } : {}),
  };
}
