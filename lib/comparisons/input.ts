// The submission a user sends, validated before anything else sees it.
import { z } from "zod";
import { VARIANT_KEYS } from "@/lib/dockerfiles/plan";

// No control characters (newlines, NUL, escapes): printable text, spaces allowed.
const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/;

export const comparisonInput = z
  .object({
    repo: z
      .string({ error: "repo is required: a git URL or example:<name>" })
      .trim()
      .min(1, "repo is required: a git URL or example:<name>")
      .max(2048, "repo is longer than 2048 characters"),
    ref: z.string().trim().min(1).max(200).optional(),
    subdir: z.string().trim().min(1).max(500).optional(),
    mainPackage: z.string().trim().min(1).max(500).optional(),
    variants: z
      .array(z.enum([...VARIANT_KEYS, "repo"]))
      .min(1)
      .max(VARIANT_KEYS.length + 1)
      .optional(),
    // What the run check passes to the program. Never reaches a Dockerfile or a shell:
    // the engine gets them as an argument array and environment entries.
    runArgs: z.array(z.string().max(200).regex(PRINTABLE, "runArgs: printable characters only")).max(20).optional(),
    runEnv: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "runEnv: names are letters, digits and _"),
        z.string().max(500).regex(PRINTABLE, "runEnv: printable characters only"),
      )
      .refine((env) => Object.keys(env).length <= 20, "runEnv: at most 20 variables")
      .optional(),
    // "Make it smaller, proven" after the comparison (lib/advice); on unless false.
    advice: z.boolean().optional(),
  })
  .strict();

export type ComparisonInput = z.infer<typeof comparisonInput>;
