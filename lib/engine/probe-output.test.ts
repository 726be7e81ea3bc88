// The prober's output read into answers, the ports it is given and when it is asked, table-driven.
import { describe, expect, it } from "vitest";
import { parseProbeOutput, probePlan, tcpPorts } from "@/lib/engine/probe-output";

const hash = "a".repeat(64);

describe("parseProbeOutput", () => {
  it.each([
    ["nothing printed", "", []],
    [
      "an answer",
      `{"port":8080,"listening":true,"status":200,"contentType":"text/html; charset=utf-8","bytes":1234,"sha256":"${hash}"}\n`,
      [{ port: 8080, listening: true, status: 200, contentType: "text/html; charset=utf-8", bodyBytes: 1234, sha256: hash }],
    ],
    [
      "an empty body (Go leaves bytes out) and no content type",
      `{"port":9000,"listening":true,"status":204,"sha256":"${hash}"}`,
      [{ port: 9000, listening: true, status: 204, contentType: "", bodyBytes: 0, sha256: hash }],
    ],
    [
      "an EXPOSEd port where nothing listens",
      `{"port":8080,"listening":false,"error":"Get \\"http://127.0.0.1:8080/\\": dial tcp 127.0.0.1:8080: connect: connection refused"}`,
      [{ port: 8080, listening: false, error: 'Get "http://127.0.0.1:8080/": dial tcp 127.0.0.1:8080: connect: connection refused' }],
    ],
    [
      "ports sorted, the first line of a port wins, junk and bad values left out",
      [
        `{"port":9090,"listening":true,"status":404,"contentType":"text/plain","bytes":19,"sha256":"${hash}"}`,
        "prober: warning",
        `{"port":8080,"listening":true,"status":200,"bytes":1,"sha256":"${hash}"}`,
        `{"port":8080,"listening":true,"status":500,"bytes":1,"sha256":"${hash}"}`,
        `{"port":70000,"listening":true,"status":200}`,
        `{"port":81,"listening":true,"status":200,"sha256":"not-a-hash"}`,
        `{"port":82,`,
      ].join("\n"),
      [
        { port: 8080, listening: true, status: 200, contentType: "", bodyBytes: 1, sha256: hash },
        { port: 9090, listening: true, status: 404, contentType: "text/plain", bodyBytes: 19, sha256: hash },
      ],
    ],
  ])("%s", (_name, text, expected) => {
    expect(parseProbeOutput(text)).toEqual(expected);
  });
});

describe("tcpPorts", () => {
  it.each([
    [["8080/tcp"], [8080]],
    [["8080/tcp", "53/udp", "9090", "8080"], [8080, 9090]],
    [["0/tcp", "70000/tcp", "http", "8080-8081/tcp"], []],
  ])("%j", (exposed, ports) => {
    expect(tcpPorts(exposed)).toEqual(ports);
  });
});

describe("probePlan", () => {
  it.each([
    // The default 10 s limit: asked after 2 s, up to 3 s to listen.
    [10, ["8080/tcp"], 2000, ["-wait=3000ms", "-timeout=2s", "8080"]],
    // A short limit: asked earlier, waiting less.
    [4, [], 1333, ["-wait=500ms", "-timeout=2s"]],
    [60, ["80/tcp", "443/tcp"], 2000, ["-wait=3000ms", "-timeout=2s", "80", "443"]],
  ])("a %i s limit with %j", (timeoutSeconds, ports, afterMs, args) => {
    const plan = probePlan(ports, timeoutSeconds);
    expect(plan).toMatchObject({ afterMs, args });
    expect(plan.limitMs).toBeGreaterThan(2000);
  });
});
