import { describe, expect, it } from "vitest";
import type { VariantKey } from "@/lib/dockerfiles/generate";
import { judgeRun, type RunResult } from "./diagnose";

const run = (output: string, exitCode: number | null = 1): RunResult => ({ exitCode, timedOut: false, output, timeoutSeconds: 5 });

// Outputs as Docker Engine 20.10 (runc), Go 1.23 and Podman (crun) print them.
const TZ = "error: unknown time zone Europe/Berlin\n";
const CA = 'Get "https://api.github.com": tls: failed to verify certificate: x509: certificate signed by unknown authority\n';
const CA_OLD = 'Get "https://example.com": x509: failed to load system roots and no roots provided\n';
const DYNAMIC = "exec /app: no such file or directory\n";
const OCI_MISSING =
  'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app": stat /app: no such file or directory: unknown';
const OCI_OLD = 'OCI runtime create failed: container_linux.go:380: starting container process caused: exec: "/app": stat /app: no such file or directory: unknown';
const CRUN = "Error: crun: executable file `/app` not found: No such file or directory: OCI runtime attempted to invoke a command that was not found";
const SHARED = "/app: error while loading shared libraries: libsqlite3.so.0: cannot open shared object file: No such file or directory\n";
const MUSL = "Error relocating /app: __vfprintf_chk: symbol not found\n";
const FORMAT = "exec /app: exec format error\n";
const CONFIG = "2024/05/01 10:00:00 open config/app.yaml: no such file or directory\n";
const TEMPLATES = "2024/05/01 10:00:00 open /etc/app/templates/index.html: no such file or directory\n";
const SUBPROCESS = 'level=error msg="render" err="fork/exec /usr/bin/git: no such file or directory"\n';
const BIND = "2024/05/01 10:00:00 listen tcp :80: bind: permission denied\n";
const WRITE = "2024/05/01 10:00:00 open /data/app.db: permission denied\n";
const EXEC_DENIED = 'OCI runtime create failed: runc create failed: unable to start container process: exec: "/app": permission denied: unknown';
const OFFLINE = 'Get "https://example.com": dial tcp: lookup example.com on 10.0.0.2:53: dial udp 10.0.0.2:53: connect: network is unreachable\n';
const DNS = 'Get "https://example.com": dial tcp: lookup example.com: no such host\n';
const PANIC = "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:9 +0x1d\n";

describe("judgeRun: verdict and summary", () => {
  it.each([
    ["a server still running", { exitCode: null, timedOut: true, output: "listening on :8080\n", timeoutSeconds: 5 }, "works", "still running after 5 s"],
    ["a program that exits 0", run("hello, world\n", 0), "works", "exited with code 0"],
    ["a program that exits 1", run(TZ, 1), "fails", "exited with code 1"],
    ["a container that never started", run(OCI_MISSING, null), "fails", "did not start"],
  ] as const)("%s", (_name, result, verdict, summary) => {
    const judged = judgeRun("alpine", result);
    expect(judged).toMatchObject({ verdict, summary });
    expect(judged.diagnosis === undefined).toBe(verdict === "works");
  });
});

describe("judgeRun: diagnosis and the fix for that variant", () => {
  it.each<[string, VariantKey, RunResult, string, string | RegExp]>([
    ["scratch without zoneinfo", "scratch", run(TZ), "MISSING_ZONEINFO", "COPY --from=builder /usr/share/zoneinfo /usr/share/zoneinfo"],
    ["alpine without zoneinfo", "alpine", run(TZ), "MISSING_ZONEINFO", "RUN apk add --no-cache tzdata"],
    ["distroless without zoneinfo", "distroless", run(TZ), "MISSING_ZONEINFO", /static image should already have \/usr\/share\/zoneinfo.*time\/tzdata/],
    ["single without zoneinfo", "single", run(TZ), "MISSING_ZONEINFO", /Go image should already have/],
    ["scratch reading zoneinfo directly", "scratch", run("open /usr/share/zoneinfo/Europe/Berlin: no such file or directory"), "MISSING_ZONEINFO", /^COPY --from=builder \/usr\/share\/zoneinfo/],
    ["scratch without CA roots", "scratch", run(CA), "MISSING_CA_ROOTS", "COPY --from=builder /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/"],
    ["alpine without CA roots", "alpine", run(CA), "MISSING_CA_ROOTS", "RUN apk add --no-cache ca-certificates"],
    ["an old Go without system roots", "alpine", run(CA_OLD), "MISSING_CA_ROOTS", "RUN apk add --no-cache ca-certificates"],
    ["distroless without CA roots", "distroless", run(CA), "MISSING_CA_ROOTS", /static image should already have \/etc\/ssl\/certs\/ca-certificates\.crt/],
    ["single without CA roots", "single", run(CA), "MISSING_CA_ROOTS", /Go image should already have/],
    ["a cgo binary on scratch", "scratch", run(DYNAMIC), "DYNAMIC_LINKING", /CGO_ENABLED=0.*C library/],
    ["a cgo binary on alpine (musl)", "alpine", run(DYNAMIC, 127), "DYNAMIC_LINKING", /CGO_ENABLED=0/],
    ["a missing shared library on distroless", "distroless", run(SHARED, 127), "DYNAMIC_LINKING", /CGO_ENABLED=0/],
    ["glibc symbols on alpine with gcompat", "alpine", run(MUSL), "DYNAMIC_LINKING", /CGO_ENABLED=0/],
    ["runc cannot stat the entrypoint", "scratch", run(OCI_MISSING, null), "DYNAMIC_LINKING", /CGO_ENABLED=0/],
    ["the init process cannot exec a cgo binary", "scratch", run("[FATAL tini (7)] exec /app failed: No such file or directory\n", 127), "DYNAMIC_LINKING", /CGO_ENABLED=0/],
    ["an older runc message", "distroless", run(OCI_OLD, 127), "DYNAMIC_LINKING", /CGO_ENABLED=0/],
    ["crun under Podman", "scratch", run(CRUN, 127), "DYNAMIC_LINKING", /CGO_ENABLED=0/],
    ["an entrypoint missing from the Go image", "single", run(OCI_MISSING, null), "DYNAMIC_LINKING", /go build/],
    ["a binary for another architecture", "scratch", run(FORMAT), "DYNAMIC_LINKING", /GOARCH/],
    ["a relative config file on scratch", "scratch", run(CONFIG), "MISSING_FILE", "COPY --from=builder /src/config/app.yaml /config/app.yaml"],
    ["an absolute path on alpine", "alpine", run(TEMPLATES), "MISSING_FILE", "COPY --from=builder /src/<path of the file in your module> /etc/app/templates/index.html"],
    ["an absolute path in the Go image", "single", run(TEMPLATES), "MISSING_FILE", "COPY src/<path of the file in your module> /etc/app/templates/index.html"],
    ["a relative file missing from the module", "single", run(CONFIG), "MISSING_FILE", /module has no config\/app\.yaml/],
    ["a command missing from distroless", "distroless", run(SUBPROCESS), "MISSING_FILE", "COPY --from=builder /src/<path of the file in your module> /usr/bin/git"],
    ["port 80 as distroless's nonroot user", "distroless", run(BIND), "PERMISSION_DENIED", /port above 1023/],
    ["writing a file as nonroot", "distroless", run(WRITE), "PERMISSION_DENIED", /--chown=65532:65532.*USER 65532:65532/],
    ["writing a file on scratch", "scratch", run(WRITE), "PERMISSION_DENIED", /mode of \/data\/app\.db.*USER/],
    ["an entrypoint that is not executable", "alpine", run(EXEC_DENIED, null), "PERMISSION_DENIED", /mode of \/app/],
    ["a network call with no network", "alpine", run(OFFLINE), "UNKNOWN", /without reaching the network/],
    ["a resolver with no network", "single", run('dial tcp: lookup example.com: Temporary failure in name resolution'), "UNKNOWN", /without reaching/],
    ["a DNS lookup with no network", "scratch", run(DNS), "UNKNOWN", /without reaching the network/],
    ["a panic", "alpine", run(PANIC, 2), "UNKNOWN", /read the program's output/],
    ["killed by the memory limit", "scratch", run("", 137), "UNKNOWN", /read the program's output/],
  ])("%s", (_name, key, result, code, fix) => {
    const { verdict, diagnosis } = judgeRun(key, result);
    expect(verdict).toBe("fails");
    expect(diagnosis?.code).toBe(code);
    if (typeof fix === "string") expect(diagnosis?.fix).toBe(fix);
    else expect(diagnosis?.fix).toMatch(fix);
    expect(diagnosis?.message.length).toBeGreaterThan(20);
  });

  it.each([
    ["quotes the zone", run(TZ), /“unknown time zone Europe\/Berlin”/],
    ["tells a network failure is the check's, not the image's", run(DNS), /says nothing about the image/],
    ["names the panic", run(PANIC, 2), /panicked: “panic: runtime error: index out of range/],
    ["blames the memory limit for exit 137", run("", 137), /memory limit/],
    ["quotes the whole bind error", run(BIND), /^“listen tcp :80: bind: permission denied”/],
    ["says what it does not know", run("something odd\n", 3), /exited with code 3 for a reason Slimstage does not recognise/],
  ])("the message %s", (_name, result, message) => {
    expect(judgeRun("scratch", result).diagnosis?.message).toMatch(message);
  });
});
