// A change in bytes as the compare view shows it: signed, coloured by direction (growth
// red, shrinkage green), with the percentage beside it when there is a base to relate to.
import { directionOf, formatByteDelta, formatPercentDelta } from "@/lib/views/compare-format";
import styles from "./compare.module.css";

export function SizeDelta({ delta, percent = null }: { delta: number | null; percent?: number | null }) {
  const direction = directionOf(delta);
  const percentText = formatPercentDelta(percent);
  return (
    <span className={`${styles.delta} ${styles[direction]}`}>
      {formatByteDelta(delta)}
      {percentText ? <span className={styles.percent}>({percentText})</span> : null}
    </span>
  );
}
