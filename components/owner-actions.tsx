"use client";
// Cancel (while it runs), Delete (once it has finished) and, for a comparison that showed
// an earlier one's results, Build again — shown only in the browser that submitted the
// comparison: its HttpOnly cookie carries the management token, so the requests need
// nothing else.
import { useHydrated } from "./use-hydrated";
import { useOwnerRequest } from "./use-owner-request";
import { useStartComparison } from "./use-start-comparison";

export function OwnerActions({ id, finished, reused = false }: { id: string; finished: boolean; reused?: boolean }) {
  const { pending, error, send: request } = useOwnerRequest();
  const path = `/api/comparisons/${encodeURIComponent(id)}`;
  const again = useStartComparison(`${path}/rebuild`);
  // Until hydration attaches the handlers, a click would do nothing: shown disabled.
  const hydrated = useHydrated();

  function send(action: "cancel" | "delete") {
    if (action === "delete" && !window.confirm("Delete this comparison and its images? Its link stops working.")) return;
    void (action === "cancel" ? request(`${path}/cancel`, "POST") : request(path, "DELETE", "/"));
  }

  return (
    <span className="cancel">
      {finished && reused ? (
        <button type="button" onClick={() => void again.start("rebuild", {})} disabled={!hydrated || again.pending !== null} data-testid="build-again">
          {again.pending ? "Starting…" : "Build again"}
        </button>
      ) : null}
      {finished ? (
        <button type="button" onClick={() => send("delete")} disabled={!hydrated || pending} data-testid="delete">
          {pending ? "Deleting…" : "Delete"}
        </button>
      ) : (
        <button type="button" onClick={() => send("cancel")} disabled={!hydrated || pending} data-testid="cancel">
          {pending ? "Canceling…" : "Cancel"}
        </button>
      )}
      {error ? <span role="alert"> {error}</span> : null}
      {again.error ? <span role="alert"> {again.error.message}</span> : null}
    </span>
  );
}
