// A web process told to stop (SIGTERM): it takes no new connection, lets the requests in
// flight finish, closes keep-alive connections as they fall idle, and after `graceMs`
// ends what is left (live-progress streams, which would otherwise run for minutes; their
// browsers reconnect to another process and get what they missed).
import type { Server } from "node:http";

export function closeGracefully(server: Server, graceMs: number): Promise<"drained" | "cut"> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => {
      server.closeAllConnections();
      resolve("cut");
    }, graceMs);
    cut.unref();
    server.close(() => {
      clearTimeout(cut);
      resolve("drained");
    });
    // Idle keep-alive connections would hold close() open; busy ones close after their answer.
    server.closeIdleConnections();
    server.on("request", (_request, response) => response.setHeader("connection", "close"));
  });
}
