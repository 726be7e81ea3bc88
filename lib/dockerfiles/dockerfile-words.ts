// Pure: words and variables as Docker's Dockerfile lexer reads them — quotes, the escape
// character chosen by "# escape=", "$NAME", "${NAME}" and the "${NAME:-default}" family —
// so that what a repository's Dockerfile hides behind quotes, escapes or ARG defaults is
// judged by the value the builder will use, not by how it is spelled.

export class WordError extends Error {}

export type Vars = ReadonlyMap<string, string>;

const NAME_CHAR = /[A-Za-z0-9_]/;
const SPACE = /[\t\v\f\r ]/;

/** Splits on unquoted, unescaped whitespace; quotes and escapes stay as written. */
export function rawWords(text: string, escape: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote: string | null = null;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === null && SPACE.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
      continue;
    }
    inWord = true;
    word += c;
    if (c === escape && quote !== "'" && i + 1 < text.length) word += text[++i];
    else if (quote === null && (c === "'" || c === '"')) quote = c;
    else if (c === quote) quote = null;
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * One word with its quotes and escapes removed and its variables substituted. An unset
 * variable is empty, as in Docker. Throws WordError for an unterminated quote or brace,
 * "${X:?}" of an unset X, and substitutions it does not evaluate (#, %, /).
 */
export function expandWord(word: string, vars: Vars, escape: string): string {
  let out = "";
  let i = 0;
  while (i < word.length) {
    const c = word[i];
    if (c === escape) {
      out += word[i + 1] ?? "";
      i += 2;
    } else if (c === "'") {
      const end = word.indexOf("'", i + 1);
      if (end < 0) throw new WordError(`unterminated quote in ${word}`);
      out += word.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < word.length && word[i] !== '"') {
        if (word[i] === escape && ['"', "$", escape].includes(word[i + 1])) {
          out += word[i + 1];
          i += 2;
        } else if (word[i] === "$") {
          const [value, next] = variable(word, i, vars, escape);
          out += value;
          i = next;
        } else {
          out += word[i++];
        }
      }
      if (i >= word.length) throw new WordError(`unterminated quote in ${word}`);
      i++;
    } else if (c === "$") {
      const [value, next] = variable(word, i, vars, escape);
      out += value;
      i = next;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

// At word[start] === "$": the value and the index after the reference.
function variable(word: string, start: number, vars: Vars, escape: string): [string, number] {
  let i = start + 1;
  if (word[i] !== "{") {
    let name = "";
    while (i < word.length && NAME_CHAR.test(word[i])) name += word[i++];
    return name === "" ? ["$", start + 1] : [vars.get(name) ?? "", i];
  }
  i++;
  let name = "";
  while (i < word.length && NAME_CHAR.test(word[i])) name += word[i++];
  if (name === "") throw new WordError(`bad substitution in ${word}`);
  const close = matchingBrace(word, i, escape);
  const value = vars.get(name);
  if (i === close) return [value ?? "", close + 1];
  const colon = word[i] === ":";
  const op = word[colon ? i + 1 : i];
  if (op === undefined || !"-+?".includes(op)) throw new WordError(`substitution \${${name}${word.slice(i, close)}} is not supported`);
  const alternative = () => expandWord(word.slice(i + (colon ? 2 : 1), close), vars, escape);
  const unset = value === undefined || (colon && value === "");
  let result: string;
  if (op === "-") result = unset ? alternative() : (value ?? "");
  else if (op === "+") result = unset ? "" : alternative();
  else if (unset) throw new WordError(`${name} is not set`);
  else result = value ?? "";
  return [result, close + 1];
}

function matchingBrace(word: string, from: number, escape: string): number {
  let depth = 1;
  for (let i = from; i < word.length; i++) {
    if (word[i] === escape) i++;
    else if (word[i] === "$" && word[i + 1] === "{") {
      depth++;
      i++;
    } else if (word[i] === "}" && --depth === 0) return i;
  }
  throw new WordError(`unterminated \${ in ${word}`);
}

/** "NAME=value" words of ARG, ENV and LABEL; a bare NAME has no value. */
export function nameValues(text: string, escape: string): Array<{ name: string; raw: string | null }> {
  return rawWords(text, escape).map((word) => {
    const eq = word.indexOf("=");
    return eq < 0 ? { name: word, raw: null } : { name: word.slice(0, eq), raw: word.slice(eq + 1) };
  });
}
