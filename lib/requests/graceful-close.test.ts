// closeGracefully on a real HTTP server on loopback: the request in flight is answered,
// a new connection is refused, a long stream is cut after the grace.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { closeGracefully } from "./graceful-close";

function serve(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe("closeGracefully", () => {
  it("answers the request in flight, refuses new connections, and ends once drained", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived!: () => void;
    const inFlight = new Promise<void>((resolve) => (arrived = resolve));
    const { server, url } = await serve(async (request, response) => {
      arrived();
      await released;
      response.end("answered");
    });
    const answer = fetch(`${url}/slow`).then(async (r) => [r.status, await r.text()]);
    await inFlight;
    const closing = closeGracefully(server, 5000);
    await expect(fetch(`${url}/new`)).rejects.toThrow();
    release();
    expect(await answer).toEqual([200, "answered"]);
    expect(await closing).toBe("drained");
  });

  it("cuts a stream still open after the grace", async () => {
    const { server, url } = await serve((request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(": open\n\n");
    });
    const response = await fetch(`${url}/events`);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(": open\n\n");
    const started = Date.now();
    expect(await closeGracefully(server, 300)).toBe("cut");
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // The server closed the connection: the client's stream ends (undici says "terminated").
    const end = (async () => {
      for (;;) if ((await reader.read()).done) return "ended";
    })().catch((error: Error) => error.message);
    expect(["ended", "terminated"]).toContain(await end);
  });
});
