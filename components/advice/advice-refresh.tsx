"use client";
// While the advice runs, the page is rendered again from the database every few seconds
// (router.refresh keeps the scroll and the open details): progress without a stream.
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export function AdviceRefresh({ everyMs = 2000 }: { everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = window.setInterval(() => router.refresh(), everyMs);
    return () => window.clearInterval(timer);
  }, [router, everyMs]);
  return null;
}
