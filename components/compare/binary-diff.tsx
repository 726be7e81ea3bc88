// What changed inside one variant's Go binary: the binary's size and Go version, then its
// modules and packages added, removed, grown, with versions (lib/views/compare-binary.ts).
import { formatBytes } from "@/lib/format";
import type { BinaryDiff as BinaryDiffData } from "@/lib/views/compare-binary";
import { formatVersionChange } from "@/lib/views/compare-format";
import { ChangeTable } from "./change-table";
import { SizeDelta } from "./size-delta";

export function BinaryDiff({ diff, variantKey, allRows }: { diff: BinaryDiffData; variantKey: string; allRows: boolean }) {
  const { before, after } = diff;
  const goVersion = formatVersionChange(before.goVersion, after.goVersion);
  return (
    <>
      <p>
        Binary {formatBytes(before.fileBytes)} → {formatBytes(after.fileBytes)}{" "}
        <SizeDelta delta={after.fileBytes - before.fileBytes} percent={before.fileBytes > 0 ? Math.round(((after.fileBytes - before.fileBytes) / before.fileBytes) * 1000) / 10 : null} />
        {goVersion ? <span className="muted">, built with {goVersion}</span> : null}
      </p>
      <h4>Go modules</h4>
      <ChangeTable
        list={diff.modules}
        noun={["module", "modules"]}
        nameHeading="Module"
        bytes={(m) => m.bytes}
        detail={(c) => formatVersionChange(c.before?.version, c.after?.version) || null}
        testId={`modules-${variantKey}`}
        allRows={allRows}
      />
      <h4>Packages</h4>
      <ChangeTable
        list={diff.packages}
        noun={["package", "packages"]}
        nameHeading="Package"
        bytes={(p) => p.bytes}
        detail={(c) => formatVersionChange(c.before?.version, c.after?.version) || (c.after ?? c.before)?.group}
        testId={`packages-${variantKey}`}
        allRows={allRows}
      />
    </>
  );
}
