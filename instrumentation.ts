// Next.js calls register() once when the server starts: that is when the worker that
// builds queued comparisons begins (and picks up what a previous run left behind).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.SLIMSTAGE_WORKER !== "off") {
    const { startWorker } = await import("./lib/comparisons/worker");
    await startWorker();
  }
}
