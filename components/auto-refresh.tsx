"use client";
// Re-renders the server component every few seconds while a comparison is still in
// progress; the database is the truth, so a refresh shows exactly what was stored.
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export function AutoRefresh({ active, intervalMs = 2000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();

  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => router.refresh(), intervalMs);
    return () => window.clearInterval(timer);
  }, [active, intervalMs, router]);

  if (!active) return null;
  return <span className="live">Updating live…</span>;
}
