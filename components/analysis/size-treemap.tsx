"use client";
// A treemap (recharts' Treemap) of two levels of a size hierarchy — an image's
// directories, a binary's modules and their packages. Outer tiles are framed in their
// full colour, inner ones lighter and labelled where they fit; a click on a tile, or a
// button of the legend (the keyboard's way in), zooms into it, and a trail zooms back out.
import { useState } from "react";
import { ResponsiveContainer, Treemap, type TreemapNode } from "recharts";
import { formatBytes } from "@/lib/format";
import { zoomInto, type TreemapTile } from "@/lib/views/size-treemap";
import styles from "./analysis.module.css";

interface SizeTreemapProps {
  tiles: TreemapTile[];
  title: string;
  rootLabel: string;
  testId: string;
  height?: number;
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");

export function SizeTreemap({ tiles, title, rootLabel, testId, height = 300 }: SizeTreemapProps) {
  const [trail, setTrail] = useState<string[]>([]);
  const at = zoomInto(tiles, trail);
  const zoom = (id: string) => {
    if (at.tiles.find((tile) => tile.id === id)?.children) setTrail([...at.path.map((tile) => tile.id), id]);
  };
  // Two levels to draw: the tiles here and their children (grandchildren wait for a zoom).
  const data = at.tiles.map(({ name, id, value, color, children }) => ({
    name,
    id,
    value,
    color,
    ...(children ? { children: children.map((c) => ({ name: c.name, id: c.id, value: c.value, color: c.color, outer: id })) } : {}),
  }));

  // recharts hands each node its layout and the fields of its datum.
  const renderTile = (node: TreemapNode) => {
    const { x, y, width, height: h, depth, name, value } = node;
    if (depth < 1) return <g />;
    const [id, color, outer] = [text(node.id), text(node.color), text(node.outer)];
    const inner = depth === 2;
    const label = (node.children?.length ?? 0) === 0;
    const chars = Math.floor((width - 8) / 6.5);
    const short = name.length > chars ? `${name.slice(0, Math.max(chars - 1, 0))}…` : name;
    return (
      <g onClick={() => zoom(inner ? outer : id)} data-tile={id} data-depth={depth} className={styles.tile}>
        <title>{`${name}: ${formatBytes(value)}`}</title>
        <rect x={x} y={y} width={width} height={h} fill={inner ? "#fff" : color} stroke="#fff" strokeWidth={inner ? 1 : 2} />
        {inner ? <rect x={x} y={y} width={width} height={h} fill={color} fillOpacity={0.72} stroke="#fff" strokeWidth={1} /> : null}
        {label && width > 40 && h > 20 ? (
          <text x={x + 4} y={y + 14} fill="#fff" fontSize={11.5} fontWeight={600}>
            {short}
          </text>
        ) : null}
        {label && width > 40 && h > 34 ? (
          <text x={x + 4} y={y + 28} fill="#fff" fontSize={11}>
            {formatBytes(value)}
          </text>
        ) : null}
      </g>
    );
  };

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption className="chart-head">
        <span className="chart-title">{title}</span>
        <nav aria-label={`${title}: where you are`} className={styles.crumbs}>
          {[{ name: rootLabel, id: "" }, ...at.path].map((tile, index, all) =>
            index === all.length - 1 ? (
              <span key={tile.id} aria-current="location">
                {tile.name}
              </span>
            ) : (
              <button key={tile.id} type="button" className="button button-secondary button-small" onClick={() => setTrail(trail.slice(0, index))}>
                {tile.name}
              </button>
            ),
          )}
        </nav>
      </figcaption>
      <div aria-hidden="true">
        <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 600, height }}>
          <Treemap data={data} dataKey="value" nameKey="name" nodeInset={3} isAnimationActive={false} content={renderTile} />
        </ResponsiveContainer>
      </div>
      <ul className={styles.legend} aria-label={`${title}, largest first`}>
        {at.tiles.map((tile) => (
          <li key={tile.id}>
            <span className="swatch swatch-small" style={{ background: tile.color }} aria-hidden="true" />
            {tile.children ? (
              <button type="button" className={styles.legendButton} onClick={() => zoom(tile.id)} aria-label={`${tile.name}, ${formatBytes(tile.value)}: open`}>
                {tile.name}
              </button>
            ) : (
              <span>{tile.name}</span>
            )}{" "}
            <span className={styles.legendSize}>{formatBytes(tile.value)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
