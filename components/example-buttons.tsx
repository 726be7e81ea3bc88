"use client";
// One button per bundled example: starts a comparison through the public API and opens
// its page. The API's own error message is shown as is, next to the buttons.
import { useStartComparison } from "./use-start-comparison";

export interface ExampleItem {
  name: string;
  description: string;
}

export function ExampleButtons({ examples }: { examples: ExampleItem[] }) {
  const { pending, error, start } = useStartComparison();

  if (examples.length === 0) {
    return <p className="muted">No sample programs are bundled with this server.</p>;
  }

  return (
    <div>
      <ul className="examples">
        {examples.map((example) => (
          <li key={example.name} className="example">
            <button
              type="button"
              className="button"
              onClick={() => void start(example.name, { repo: `example:${example.name}` })}
              disabled={pending !== null}
              aria-busy={pending === example.name}
              data-testid={`example-${example.name}`}
            >
              {pending === example.name ? `Starting ${example.name}…` : example.name}
            </button>
            <p>{example.description}</p>
          </li>
        ))}
      </ul>
      <div aria-live="polite">
        {error ? (
          <p className="form-error" role="alert">
            {error.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}
