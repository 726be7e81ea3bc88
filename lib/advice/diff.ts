// Pure: a unified diff of two texts (Dockerfiles of a few dozen lines), as `diff -u`
// writes it, so a step's patch can be pasted into `git apply` or `patch -p0` as is.
// A plain longest-common-subsequence table: the inputs are small.

export function unifiedDiff(before: string, after: string, name = "Dockerfile", context = 3): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = lineOps(a, b);
  if (ops.every((op) => op.kind === "same")) return "";
  const hunks: string[] = [];
  // Indexes of changed ops, grouped into hunks that share context.
  let i = 0;
  while (i < ops.length) {
    if (ops[i].kind === "same") {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    let lastChange = i;
    while (end < ops.length && end - lastChange <= 2 * context) {
      if (ops[end].kind !== "same") lastChange = end;
      end++;
    }
    const stop = Math.min(ops.length, lastChange + context + 1);
    const slice = ops.slice(start, stop);
    const oldStart = slice[0].oldLine;
    const newStart = slice[0].newLine;
    const oldCount = slice.filter((op) => op.kind !== "add").length;
    const newCount = slice.filter((op) => op.kind !== "remove").length;
    const header = `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`;
    const lines = slice.map((op) => `${op.kind === "same" ? " " : op.kind === "add" ? "+" : "-"}${op.text}`);
    hunks.push([header, ...lines].join("\n"));
    i = stop;
  }
  return [`--- a/${name}`, `+++ b/${name}`, ...hunks].join("\n") + "\n";
}

interface LineOp {
  kind: "same" | "add" | "remove";
  text: string;
  /** 1-based line numbers in the old and the new text where this op stands. */
  oldLine: number;
  newLine: number;
}

function lineOps(a: string[], b: string[]): LineOp[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let x = n - 1; x >= 0; x--) {
    for (let y = m - 1; y >= 0; y--) lcs[x][y] = a[x] === b[y] ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
  }
  const ops: LineOp[] = [];
  let x = 0;
  let y = 0;
  while (x < n || y < m) {
    if (x < n && y < m && a[x] === b[y]) {
      ops.push({ kind: "same", text: a[x], oldLine: x + 1, newLine: y + 1 });
      x++;
      y++;
    } else if (x < n && (y === m || lcs[x + 1][y] >= lcs[x][y + 1])) {
      // Removals first, as diff -u writes a changed line.
      ops.push({ kind: "remove", text: a[x], oldLine: x + 1, newLine: y + 1 });
      x++;
    } else {
      ops.push({ kind: "add", text: b[y], oldLine: x + 1, newLine: y + 1 });
      y++;
    }
  }
  return ops;
}

// `diff -u` writes an empty range as the line before it, with count 0.
const range = (start: number, count: number) => (count === 0 ? `${start - 1},0` : count === 1 ? `${start}` : `${start},${count}`);

function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
