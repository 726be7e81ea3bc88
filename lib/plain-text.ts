// Text from terminals (build logs, a program's output, the reasons made from them) as a
// page and the API show it: colour and cursor codes removed (strip-ansi), and stray control
// characters too, so "[91m…[0m" never reaches a reader. Applied where such text is
// written (lib/jobs/state.ts) and read (lib/reads/queries.ts, for rows kept before).
import stripAnsi from "strip-ansi";

// Control characters other than tab and newline (a carriage return becomes a newline).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

export function plainText(text: string): string;
export function plainText(text: string | null): string | null;
export function plainText(text: string | undefined): string | undefined;
export function plainText(text: string | null | undefined): string | null | undefined;
export function plainText(text: string | null | undefined): string | null | undefined {
  if (!text) return text;
  return stripAnsi(text).replace(/\r\n?/g, "\n").replace(CONTROL, "");
}
