// The bundled example programs (examples/<name>), offered as one-click samples and
// addressed in the API as "example:<name>".
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { EXAMPLE_NAME as NAME } from "@/lib/source/repo-input";

export interface Example {
  name: string;
  description: string;
  dir: string;
}

/** The examples in `root` (SLIMSTAGE_EXAMPLES_DIR). */
export async function listExamples(root: string): Promise<Example[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const examples: Example[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !NAME.test(entry.name)) continue;
    const dir = path.join(root, entry.name);
    if (!(await isFile(path.join(dir, "go.mod")))) continue;
    examples.push({ name: entry.name, description: await describe(dir), dir });
  }
  return examples.sort((a, b) => a.name.localeCompare(b.name));
}

export async function findExample(root: string, name: string): Promise<Example | null> {
  if (!NAME.test(name)) return null;
  return (await listExamples(root)).find((example) => example.name === name) ?? null;
}

// The first comment line of main.go says what the program does.
async function describe(dir: string): Promise<string> {
  const source = await readFile(path.join(dir, "main.go"), "utf8").catch(() => "");
  const line = source.split("\n").find((l) => l.startsWith("// "));
  return line ? line.slice(3).split(/[:.](?:\s|$)/)[0].trim() : "";
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile(), () => false);
}
