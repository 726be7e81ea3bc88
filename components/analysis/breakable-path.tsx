// A path, import path or symbol name that may break after its "/" and "." on a narrow
// screen (never inside a name, unless one name alone is wider than the box).
import { Fragment } from "react";

export function BreakablePath({ text }: { text: string }) {
  const parts = text.split(/(?<=[/.])/);
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </>
  );
}
