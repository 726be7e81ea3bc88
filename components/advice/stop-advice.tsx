"use client";
// "Stop the advice", for the browser that submitted the comparison (its HttpOnly cookie
// carries the management token): the comparison's cancel, which once the comparison has
// succeeded stops only its advice. The page then renders again from the database.
import { useHydrated } from "../use-hydrated";
import { useOwnerRequest } from "../use-owner-request";

export function StopAdvice({ id }: { id: string }) {
  const { pending, error, send } = useOwnerRequest();
  // Until hydration attaches the handler, a click would do nothing: shown disabled.
  const hydrated = useHydrated();
  const stop = () => send(`/api/comparisons/${encodeURIComponent(id)}/cancel`, "POST");

  return (
    <span className="cancel">
      <button type="button" onClick={() => void stop()} disabled={!hydrated || pending} data-testid="stop-advice">
        {pending ? "Stopping…" : "Stop the advice"}
      </button>
      {error ? <span role="alert"> {error}</span> : null}
    </span>
  );
}
