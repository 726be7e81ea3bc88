// A column header that sorts its table: a button with the column's name and an arrow
// (▲ ascending, ▼ descending, ↕ not sorted by it), and aria-sort on the cell. The
// table keeps its sort; this only draws the header and says which column was clicked.
import type { ReactNode } from "react";

export interface SortableHeaderProps {
  label: ReactNode;
  /** The table's direction when it is sorted by this column, else null. */
  direction: "ascending" | "descending" | null;
  numeric?: boolean;
  onSort(): void;
}

export function SortableHeader({ label, direction, numeric = false, onSort }: SortableHeaderProps) {
  return (
    <th scope="col" className={numeric ? "num" : undefined} aria-sort={direction ?? undefined}>
      <button type="button" className="sort-button" onClick={onSort}>
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {direction === null ? "↕" : direction === "ascending" ? "▲" : "▼"}
        </span>
      </button>
    </th>
  );
}
