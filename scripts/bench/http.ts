// Load on one URL with autocannon: a short sequential warm-up that must answer 200
// (else the benchmark is wrong, not slow), then N connections for D seconds.
import autocannon from "autocannon";

export interface LoadResult {
  p50: number;
  p99: number;
  requests: number;
  perSecond: number;
  non2xx: number;
  errors: number;
}

/** Returns the size of the last answer's body, in bytes. */
export async function warmUp(url: string, times = 10, status = 200): Promise<number> {
  let bytes = 0;
  for (let i = 0; i < times; i++) {
    const response = await fetch(url);
    bytes = (await response.arrayBuffer()).byteLength;
    if (response.status !== status) throw new Error(`GET ${url} answered ${response.status}, not ${status}`);
  }
  return bytes;
}

export async function load(url: string, connections: number, seconds: number): Promise<LoadResult> {
  const result = await autocannon({ url, connections, duration: seconds, timeout: 30 });
  return {
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    perSecond: result.requests.average,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** The first script of the page: a static file the same server sends without rendering. */
export async function staticAssetOf(pageUrl: string): Promise<string | null> {
  const html = await (await fetch(pageUrl)).text();
  const match = html.match(/\/_next\/static\/[^"'\s]+\.js/);
  return match ? new URL(match[0], pageUrl).toString() : null;
}
