// Two plain tables of a Go binary's report: its modules with their versions (the
// standard library under the Go version, compiler-made code as "(generated)") and its
// largest functions. Long names wrap inside the table, which scrolls inside its box.
import type { BinaryModule } from "@/lib/binary/analyze-binary";
import type { PackageGroup } from "@/lib/binary/packages";
import { formatBytes } from "@/lib/format";
import { BreakablePath } from "./breakable-path";
import styles from "./analysis.module.css";

const SHOWN_SYMBOLS = 15;

export const GROUP_TEXT: Record<PackageGroup, string> = {
  std: "standard library",
  main: "main module",
  dependency: "dependency",
  other: "compiler-made",
};

export function ModuleTable({ modules }: { modules: BinaryModule[] }) {
  return (
    <div className="table-scroll">
      <table className={styles.compact} data-testid="modules">
        <caption className={styles.caption}>Modules, largest first</caption>
        <thead>
          <tr>
            <th scope="col">Module</th>
            <th scope="col">Version</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">Packages</th>
            <th scope="col" className="num">Code</th>
          </tr>
        </thead>
        <tbody>
          {modules.map((module) => (
            <tr key={module.path}>
              <td className={styles.path}>
                <BreakablePath text={module.path} />
              </td>
              <td>{module.version || "—"}</td>
              <td>{GROUP_TEXT[module.group]}</td>
              <td className="num">{module.packages}</td>
              <td className="num">{formatBytes(module.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SymbolTable({ symbols }: { symbols: Array<{ name: string; package: string; bytes: number }> }) {
  if (symbols.length === 0) return null;
  return (
    <div className="table-scroll">
      <table className={styles.compact} data-testid="symbols">
        <caption className={styles.caption}>Largest functions</caption>
        <thead>
          <tr>
            <th scope="col">Function</th>
            <th scope="col" className="num">Code</th>
          </tr>
        </thead>
        <tbody>
          {symbols.slice(0, SHOWN_SYMBOLS).map((symbol, index) => (
            <tr key={`${symbol.name} ${index}`}>
              <td className={styles.path}>
                <BreakablePath text={symbol.name} />
              </td>
              <td className="num">{formatBytes(symbol.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
