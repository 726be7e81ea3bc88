"use client";
// One request of a comparison's owner (cancel, delete, stop the advice) from a button: its
// HttpOnly cookie carries the management token. While it is in flight `pending`; a refusal
// shows the server's message, a network failure says so; then the page renders again from
// the database (or goes where `then` says, after a request that succeeded).
import { useRouter } from "next/navigation";
import { useState } from "react";

export function useOwnerRequest() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(path: string, method: "POST" | "DELETE", then?: string): Promise<void> {
    setPending(true);
    setError(null);
    try {
      const response = await fetch(path, { method });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        setError(body?.error?.message ?? `The server answered ${response.status}.`);
      } else if (then) {
        router.push(then);
        return;
      }
      router.refresh();
    } catch {
      setError("The server could not be reached.");
    } finally {
      setPending(false);
    }
  }

  return { pending, error, send };
}
