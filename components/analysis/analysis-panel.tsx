"use client";
// The contents of "Why is it this big?" once loaded: the files in the image's layers
// (dive's view) and the packages in its Go binary (go-size-analyzer's view). Shown by
// why-big-body.tsx, which why-big.tsx loads with React's lazy(), so this module and all it
// imports (recharts' Treemap, the tree) form a chunk the comparison page's first load does
// not include.
import type { VariantAnalysisView } from "@/lib/comparisons/types";
import { BinarySection } from "./binary-section";
import { FilesSection } from "./files-section";
import styles from "./analysis.module.css";

export const NO_BINARY = "No Go binary found in the app's layers.";

export default function AnalysisPanel({ analysis, variantKey }: { analysis: VariantAnalysisView; variantKey: string }) {
  return (
    <div className={styles.panel} data-testid={`analysis-${variantKey}`}>
      <section aria-labelledby={`files-${variantKey}`}>
        <h4 id={`files-${variantKey}`}>Files in the image</h4>
        <FilesSection analysis={analysis} variantKey={variantKey} />
      </section>
      <section aria-labelledby={`binary-${variantKey}`}>
        <h4 id={`binary-${variantKey}`}>Inside the Go binary</h4>
        {analysis.binary ? (
          <BinarySection binary={analysis.binary} variantKey={variantKey} />
        ) : (
          <p className="empty" data-testid="no-binary">
            {NO_BINARY}
          </p>
        )}
      </section>
    </div>
  );
}
