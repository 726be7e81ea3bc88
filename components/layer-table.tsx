// The layers of one image, top to bottom as `docker history` lists them, with the
// base-vs-app split that tells the user which bytes their Dockerfile actually added.
import type { LayerView } from "@/lib/comparisons/types";
import { formatBytes } from "@/lib/format";

const MAX_INSTRUCTION = 80;

export function LayerTable({ layers }: { layers: LayerView[] }) {
  if (layers.length === 0) return <p className="muted">No layers recorded.</p>;
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">Instruction</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col" className="num">
              Compressed
            </th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {layers.map((layer) => (
            <tr key={layer.index}>
              <td className="num">{layer.index}</td>
              <td className="instruction" title={layer.instruction}>
                {truncate(layer.instruction)}
              </td>
              <td className="num">{formatBytes(layer.sizeBytes)}</td>
              <td className="num">{formatBytes(layer.compressedBytes)}</td>
              <td className={layer.fromBase ? "origin-base" : "origin-app"}>{layer.fromBase ? "base" : "app"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_INSTRUCTION ? `${oneLine.slice(0, MAX_INSTRUCTION - 1)}…` : oneLine;
}
