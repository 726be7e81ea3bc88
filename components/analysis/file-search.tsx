"use client";
// Search the image's files by path (any part of it, case-insensitive: lib/measure's
// searchTree, the rule the server would use), largest first; a result shows it in the tree.
import { useDeferredValue, useId, useMemo, useState } from "react";
import { searchTree, type FileTreeNode } from "@/lib/measure/file-tree";
import { formatBytes } from "@/lib/format";
import { BreakablePath } from "./breakable-path";
import shared from "./analysis.module.css";
import styles from "./file-tree.module.css";

const SHOWN = 20;

export function FileSearch({ tree, onReveal }: { tree: FileTreeNode; onReveal: (path: string) => void }) {
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query);
  const { matches, total } = useMemo(() => searchTree(tree, deferred, SHOWN), [tree, deferred]);
  const inputId = useId();

  return (
    <div className={styles.search} role="search">
      <label htmlFor={inputId}>Search by path</label>
      <input
        id={inputId}
        type="search"
        value={query}
        placeholder="e.g. zoneinfo or /usr/lib/go"
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => setQuery(event.target.value)}
        data-testid="file-search"
      />
      {deferred.trim() ? (
        <div data-testid="search-results">
          <p className={shared.hint} aria-live="polite">
            {total === 0 ? "No path matches." : total > matches.length ? `${total} paths match; the ${matches.length} largest:` : `${total} ${total === 1 ? "path matches" : "paths match"}:`}
          </p>
          <ul className={styles.results}>
            {matches.map((match) => (
              <li key={match.path}>
                <button type="button" className={styles.resultButton} onClick={() => onReveal(match.path)} title="Show in the tree">
                  <span className={styles.resultPath}>
                    <BreakablePath text={match.path} />
                    {match.dir ? "/" : ""}
                  </span>
                  <span className={styles.treeSize}>{formatBytes(match.bytes)}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
