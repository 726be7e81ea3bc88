// Pure: the base images a repository's own Dockerfile starts FROM, so a missing one
// is reported as a skipped variant before anything is built.

export function baseImagesOf(dockerfile: string): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  for (const line of logicalLines(dockerfile)) {
    const match = line.match(/^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/i);
    if (!match) continue;
    const [, image, stage] = match;
    if (image.toLowerCase() !== "scratch" && !stages.has(image.toLowerCase()) && !images.includes(image)) images.push(image);
    if (stage) stages.add(stage.toLowerCase());
  }
  return images;
}

/** The last FROM's image: the base of the final stage (null for scratch or a stage name). */
export function finalBaseOf(dockerfile: string): string | null {
  const stages = new Set<string>();
  let last: string | null = null;
  for (const line of logicalLines(dockerfile)) {
    const match = line.match(/^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?\s*$/i);
    if (!match) continue;
    const image = match[1];
    last = image.toLowerCase() === "scratch" || stages.has(image.toLowerCase()) ? null : image;
    if (match[2]) stages.add(match[2].toLowerCase());
  }
  return last;
}

// Joins continuation lines and drops comments, as the Dockerfile parser does.
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let current = "";
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*#/.test(raw)) continue;
    if (raw.endsWith("\\")) {
      current += `${raw.slice(0, -1)} `;
      continue;
    }
    lines.push((current + raw).trim());
    current = "";
  }
  if (current) lines.push(current.trim());
  return lines.filter(Boolean);
}
