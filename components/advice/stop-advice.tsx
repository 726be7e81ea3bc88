"use client";
// "Stop the advice", for the browser that submitted the comparison (its HttpOnly cookie
// carries the management token): the comparison's cancel, which once the comparison has
// succeeded stops only its advice. The page then renders again from the database.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useHydrated } from "../use-hydrated";

export function StopAdvice({ id }: { id: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Until hydration attaches the handler, a click would do nothing: shown disabled.
  const hydrated = useHydrated();

  async function stop() {
    setPending(true);
    setError(null);
    try {
      const response = await fetch(`/api/comparisons/${encodeURIComponent(id)}/cancel`, { method: "POST" });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        setError(body?.error?.message ?? `The server answered ${response.status}.`);
      }
      router.refresh();
    } catch {
      setError("The server could not be reached.");
    } finally {
      setPending(false);
    }
  }

  return (
    <span className="cancel">
      <button type="button" onClick={() => void stop()} disabled={!hydrated || pending} data-testid="stop-advice">
        {pending ? "Stopping…" : "Stop the advice"}
      </button>
      {error ? <span role="alert"> {error}</span> : null}
    </span>
  );
}
