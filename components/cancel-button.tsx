"use client";
// Stops a queued or running comparison through the API, then shows the stored result.
import { useRouter } from "next/navigation";
import { useState } from "react";

export function CancelButton({ id }: { id: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function cancel() {
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
      <button type="button" onClick={cancel} disabled={pending} data-testid="cancel">
        {pending ? "Canceling…" : "Cancel"}
      </button>
      {error ? <span role="alert"> {error}</span> : null}
    </span>
  );
}
