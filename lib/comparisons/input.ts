// The submission a user sends, validated before anything else sees it.
import { z } from "zod";
import { VARIANT_KEYS } from "@/lib/dockerfiles/plan";

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
    variants: z.array(z.enum(VARIANT_KEYS)).min(1).max(VARIANT_KEYS.length).optional(),
  })
  .strict();

export type ComparisonInput = z.infer<typeof comparisonInput>;
