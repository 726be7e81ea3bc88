"use client";
// The one way a form or a button starts a comparison: POST /api/comparisons (or an owner's
// "build again", POST /api/comparisons/<id>/rebuild), stay pending
// while the new comparison's page loads, or say why not — the API's own message (with the
// field it names, for a form to mark), the server's status, or the connection.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { readApiError, readStartedUrl, type ApiError } from "@/lib/comparisons/api-answer";

export interface StartComparison {
  /** Which button or form is starting one (null: none). */
  pending: string | null;
  error: ApiError | null;
  /** Resolves with null once the page is on its way, or with the reason it is not. */
  start(tag: string, body: unknown): Promise<ApiError | null>;
}

export function useStartComparison(endpoint = "/api/comparisons"): StartComparison {
  const router = useRouter();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function start(tag: string, body: unknown): Promise<ApiError | null> {
    setPending(tag);
    setError(null);
    const failed = (reason: ApiError) => {
      setError(reason);
      setPending(null);
      return reason;
    };
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
      });
      const answer: unknown = await response.json().catch(() => null);
      if (!response.ok) return failed(readApiError(answer) ?? { message: `Could not start the comparison (HTTP ${response.status}).` });
      const url = readStartedUrl(answer);
      if (!url) return failed({ message: "The server answered without a comparison link. Please try again." });
      // Stay pending while the comparison's page loads.
      router.push(url);
      return null;
    } catch {
      return failed({ message: "Could not reach the server. Check your connection and try again." });
    }
  }

  return { pending, error, start };
}
