import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import protobuf from "protobufjs";
import { createRequire } from "node:module";
import { followBuildKit, statusLines, type BuildEvent } from "./buildkit-progress";

const bytes = (text: string) => new Uint8Array(Buffer.from(text));

describe("statusLines", () => {
  it.each([
    ["a step that starts", { vertexes: [{ digest: "d1", name: "[builder 4/4] RUN go build", started: {} }] }, ["[builder 4/4] RUN go build"]],
    ["a cache hit", { vertexes: [{ digest: "d2", name: "[builder 2/4] WORKDIR /src", started: {}, completed: {}, cached: true }] }, ["CACHED: [builder 2/4] WORKDIR /src"]],
    ["the step's output, decoded", { logs: [{ vertex: "d1", msg: bytes("# example.com/broken\n./main.go:6:14: undefined: notDefined\n") }] }, ["# example.com/broken", "./main.go:6:14: undefined: notDefined"]],
    ["an error", { vertexes: [{ digest: "d1", name: "[2/2] RUN exit 3", started: {}, completed: {}, error: "exit code: 3" }] }, ["[2/2] RUN exit 3", "ERROR: exit code: 3"]],
    ["a warning", { warnings: [{ short: bytes("FromAsCasing") }] }, ["WARNING: FromAsCasing"]],
  ])("%s", (_name, status, expected) => {
    expect(statusLines(status, new Set())).toEqual(expected);
  });

  it("tells a step once, however often its status is sent", () => {
    const seen = new Set<string>();
    const step = { vertexes: [{ digest: "d1", name: "[1/2] FROM x", started: {} }] };
    expect([...statusLines(step, seen), ...statusLines(step, seen)]).toEqual(["[1/2] FROM x"]);
  });
});

describe("followBuildKit", () => {
  it("decodes trace events, passes the image ID and the final error on", async () => {
    const proto = createRequire(import.meta.url).resolve("dockerode/lib/proto/buildkit_status.proto");
    const type = protobuf.loadSync(proto).lookupType("moby.buildkit.v1.StatusResponse");
    const trace = Buffer.from(type.encode(type.fromObject({ logs: [{ vertex: "d", msg: Buffer.from("hello from RUN\n") }] })).finish()).toString("base64");
    const stream = new PassThrough();
    const events: BuildEvent[] = [];
    const done = new Promise<Error | null>((resolve) => followBuildKit(stream, resolve, (event) => events.push(event)));
    stream.write(`${JSON.stringify({ id: "moby.buildkit.trace", aux: trace })}\n`);
    stream.write(`${JSON.stringify({ id: "moby.image.id", aux: { ID: "sha256:abc" } })}\n{"errorDetail":{"message":"boom"},"error":"boom"}`);
    stream.end();
    expect(await done).toBeNull();
    expect(events).toEqual([{ stream: "hello from RUN\n" }, { aux: { ID: "sha256:abc" } }, { errorDetail: { message: "boom" }, error: "boom" }]);
  });
});
