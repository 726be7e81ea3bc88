// Pure: a repository's Dockerfile with each RUN --mount target made absolute, for
// builders that take only absolute ones. BuildKit resolves `target=go.mod` or
// `target=.` against the stage's WORKDIR (as `docker init` writes them); Podman 4's
// Buildah refuses them ("invalid container path, must be an absolute path"). The WORKDIR
// is followed through the stages (a stage built FROM another inherits it); where it is
// not known here (set by a base image, or holding a variable) the line is left as
// written and the builder says what it says.
import { posix } from "node:path";
import { DockerfileError, splitDockerfile } from "./dockerfile-lines";

export interface MountTargets {
  text: string;
  /** The targets made absolute, as "go.mod → /src/go.mod". */
  changed: string[];
}

const MOUNT_FLAG = /--mount=(\S+)/g;
const TARGET = /(^|,)(target|dst|destination)=([^,"'\s]+)/g;

export function absoluteMountTargets(text: string): MountTargets {
  let instructions;
  try {
    ({ instructions } = splitDockerfile(text, { heredocs: true }));
  } catch (error) {
    if (error instanceof DockerfileError) return { text, changed: [] };
    throw error;
  }
  const lines = text.split("\n");
  const changed: string[] = [];
  // Each stage by its index and its AS name, with the WORKDIR it ends up in.
  const stages: Array<{ names: string[]; workdir: string | null }> = [];
  instructions.forEach((instruction, i) => {
    const stage = stages.at(-1);
    if (instruction.keyword === "FROM") {
      const [base = "", as, name] = instruction.args.trim().split(/\s+/);
      const from = stages.find((earlier) => earlier.names.includes(base.toLowerCase()));
      stages.push({ names: [String(stages.length), ...(as?.toLowerCase() === "as" && name ? [name.toLowerCase()] : [])], workdir: from?.workdir ?? null });
      return;
    }
    if (!stage) return;
    if (instruction.keyword === "WORKDIR") {
      const dir = instruction.json?.[0] ?? instruction.args.trim();
      stage.workdir = dir.includes("$") || (!dir.startsWith("/") && stage.workdir === null) ? null : posix.resolve(stage.workdir ?? "/", dir);
      return;
    }
    const workdir = stage.workdir;
    if (instruction.keyword !== "RUN" || workdir === null || !instruction.flags.some((flag) => flag.startsWith("--mount="))) return;
    const end = i + 1 < instructions.length ? instructions[i + 1].line - 1 : lines.length;
    for (let at = instruction.line - 1; at < end; at++) {
      lines[at] = lines[at].replace(MOUNT_FLAG, (_flag: string, spec: string) =>
        `--mount=${spec.replace(TARGET, (whole: string, lead: string, key: string, value: string) => {
          if (value.startsWith("/") || value.includes("$")) return whole;
          const absolute = posix.resolve(workdir, value);
          changed.push(`${value} → ${absolute}`);
          return `${lead}${key}=${absolute}`;
        })}`,
      );
    }
  });
  return { text: lines.join("\n"), changed };
}
