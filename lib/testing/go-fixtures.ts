// Fixture repositories for tests: each a map of path -> file content, a small realistic
// Go program (or deliberately not one). Go sources are gofmt-formatted and were checked by
// hand with Go 1.23 (slimstage/golang:1.23-local): build, run on scratch with no network.
//
// Observed behaviours worth knowing (Go 1.23, dockerd 20.10.24, runc 1.1):
// - loadlocation on scratch prints "unknown time zone Europe/Berlin" and exits 1.
// - tlsClient on scratch: x509.SystemCertPool() returns an EMPTY pool and a nil error
//   (no error when no CA file exists); the program then prints its own message starting
//   "x509: failed to load system roots and no roots provided" and exits 1.
// - cgoApp with CGO_ENABLED=0 does not build: "build constraints exclude all Go files in
//   /src"; with cgo it links dynamically (libc.so.6, /lib64/ld-linux-x86-64.so.2). On
//   scratch the container DOES start (start succeeds, State.Error is empty), then exits
//   with code 1 and "exec /app: no such file or directory" on stderr (the missing dynamic
//   loader). Contrast: an entrypoint that really does not exist fails at start, exit code
//   127, State.Error "failed to create shim task: OCI runtime create failed: runc create
//   failed: unable to start container process: exec: \"/nope\": stat /nope: no such file
//   or directory: unknown".
// - ownDockerfile offline: the classic builder stops at "Step 1/9 : FROM golang:1.23 AS
//   build" with a DNS error ("no such host") for the container registry's address.
// - thirdPartyApp / articleMonorepo's thirdparty need example.com/greeter v1.0.0 from a
//   module proxy (startModuleProxy([greeterProxyModule])); their go.sum is complete, so
//   with GOPROXY pointing at the proxy nothing else is asked, even with the default
//   GOSUMDB=sum.golang.org.
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { goSumLines, type ProxyModule } from "@/lib/testing/module-proxy";

export type GoFixture = Record<string, string>;

export const GREETER_MODULE = "example.com/greeter";
export const GREETER_VERSION = "v1.0.0";

/** The fake third-party module example.com/greeter v1.0.0 (module root files). */
export const greeterModule: GoFixture = {
  "go.mod": `module example.com/greeter

go 1.21
`,
  "greeter.go": `// Package greeter builds greetings. It stands in for a third-party module: tests serve
// it as example.com/greeter v1.0.0 from a module proxy on loopback.
package greeter

import "fmt"

// Hello returns a greeting for name, or for the world when name is empty.
func Hello(name string) string {
	if name == "" {
		name = "world"
	}
	return fmt.Sprintf("Hello, %s!", name)
}
`,
};

/** greeterModule as startModuleProxy takes it. */
export const greeterProxyModule: ProxyModule = {
  path: GREETER_MODULE,
  version: GREETER_VERSION,
  files: greeterModule,
};

/** The complete go.sum of a module that requires example.com/greeter v1.0.0. */
export const greeterGoSum: string = goSumLines(GREETER_MODULE, GREETER_VERSION, greeterModule);

// The bundled example, so the fixture and the sample cannot drift apart.
const helloMain = readFileSync(path.join(process.cwd(), "examples", "hello", "main.go"), "utf8");

const loadLocationMain = `// loadlocation prints the time in Berlin. It needs the time zone database at run time,
// which a bare scratch or Alpine image does not have.
package main

import (
	"fmt"
	"os"
	"time"
)

func main() {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	fmt.Println("Time in Berlin:", time.Now().In(loc).Format(time.RFC1123))
}
`;

const thirdPartyMain = `// thirdparty greets through a third-party module.
package main

import (
	"fmt"

	"example.com/greeter"
)

func main() {
	fmt.Println(greeter.Hello("gopher"))
}
`;

function goMod(module: string, requires: string[] = []): string {
  const req = requires.length === 0 ? "" : `\nrequire ${requires.join("\n")}\n`;
  return `module ${module}\n\ngo 1.21\n${req}`;
}

/**
 * The article's layout: no go.mod at the root, three folders each its own module.
 * thirdparty/ needs example.com/greeter from the module proxy.
 */
export const articleMonorepo: GoFixture = {
  "README.md": `# Go in containers

Three small programs, each its own Go module:

- \`hello\` prints a line.
- \`loadlocation\` prints the time in Berlin (needs the time zone database).
- \`thirdparty\` uses a third-party module.
`,
  "hello/go.mod": goMod("example.com/fixtures/monorepo/hello"),
  "hello/main.go": helloMain,
  "loadlocation/go.mod": goMod("example.com/fixtures/monorepo/loadlocation"),
  "loadlocation/main.go": loadLocationMain,
  "thirdparty/go.mod": goMod("example.com/fixtures/monorepo/thirdparty", [`${GREETER_MODULE} ${GREETER_VERSION}`]),
  "thirdparty/go.sum": greeterGoSum,
  "thirdparty/main.go": thirdPartyMain,
};

/** A main program requiring example.com/greeter v1.0.0, with a complete go.sum. */
export const thirdPartyApp: GoFixture = {
  "go.mod": goMod("example.com/fixtures/thirdparty", [`${GREETER_MODULE} ${GREETER_VERSION}`]),
  "go.sum": greeterGoSum,
  "main.go": thirdPartyMain,
};

/**
 * Loads the system CA roots (imports crypto/tls and crypto/x509, so the analyzer sees a
 * CA need). Prints "loaded N system roots" and exits 0, or, with no roots (scratch),
 * prints "x509: failed to load system roots and no roots provided ..." and exits 1.
 */
export const tlsClient: GoFixture = {
  "go.mod": goMod("example.com/fixtures/tlsclient"),
  "main.go": `// tlsclient prepares a TLS client configuration that trusts the system's CA roots and
// checks, before any connection, that there are some: without a CA bundle every
// handshake would fail with "x509: certificate signed by unknown authority".
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

func main() {
	// On Linux this reads SSL_CERT_FILE / SSL_CERT_DIR or the usual bundle paths such as
	// /etc/ssl/certs/ca-certificates.crt. With none present it returns an empty pool and
	// no error.
	pool, err := x509.SystemCertPool()
	if err != nil {
		fmt.Fprintln(os.Stderr, "x509: failed to load system roots:", err)
		os.Exit(1)
	}
	cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	n := len(cfg.RootCAs.Subjects()) //nolint:staticcheck // on Linux the pool holds the PEM roots
	if n == 0 {
		fmt.Fprintln(os.Stderr, "x509: failed to load system roots and no roots provided: no CA certificates found;"+
			" TLS connections would fail with \\"x509: certificate signed by unknown authority\\"")
		os.Exit(1)
	}
	fmt.Printf("loaded %d system roots\\n", n)
}
`,
};

/**
 * Calls a C function through cgo. Needs CGO_ENABLED=1 (with CGO_ENABLED=0 the build
 * fails: "build constraints exclude all Go files in <dir>"), and the binary is then
 * dynamically linked against glibc. On scratch (dockerd 20.10 / runc 1.1) the container
 * starts, then exits 1 with "exec /app: no such file or directory" on stderr; the
 * container's State.Error stays empty.
 */
export const cgoApp: GoFixture = {
  "go.mod": goMod("example.com/fixtures/cgoapp"),
  "main.go": `// cgoapp adds two numbers in C.
package main

/*
static int add(int a, int b) { return a + b; }
*/
import "C"

import "fmt"

func main() {
	fmt.Println("2 + 3 in C =", int(C.add(2, 3)))
}
`,
};

/** One module, two main packages: ./cmd/api and ./cmd/worker. */
export const twoMains: GoFixture = {
  "go.mod": goMod("example.com/fixtures/twomains"),
  "internal/version/version.go": `// Package version names the build.
package version

// Version is the application's version.
const Version = "1.0.0"
`,
  "cmd/api/main.go": `// api would serve requests; here it reports that it started.
package main

import (
	"fmt"

	"example.com/fixtures/twomains/internal/version"
)

func main() {
	fmt.Println("api", version.Version, "ready")
}
`,
  "cmd/worker/main.go": `// worker would process jobs; here it reports that it started.
package main

import (
	"fmt"

	"example.com/fixtures/twomains/internal/version"
)

func main() {
	fmt.Println("worker", version.Version, "ready")
}
`,
};

/**
 * A hello program with its own multi-stage Dockerfile on the official golang:1.23 image,
 * which is absent offline: the "repo" variant is then skipped (base image not available).
 */
export const ownDockerfile: GoFixture = {
  "go.mod": goMod("example.com/fixtures/owndockerfile"),
  "main.go": `// owndockerfile prints one line; the repository brings its own Dockerfile.
package main

import "fmt"

func main() {
	fmt.Println("Hello from the repository's own Dockerfile!")
}
`,
  Dockerfile: `FROM golang:1.23 AS build
WORKDIR /src
COPY go.mod ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app .

FROM scratch
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
`,
};

/**
 * A hello program whose own Dockerfile takes about `seconds` to build, printing a line a
 * second: a build that is still running whatever the caches hold, for the tests that act
 * mid-build (cancel, reload). `stamp` makes the context new, so no earlier build's cache
 * answers for it.
 */
export function slowBuild(seconds: number, stamp: string): GoFixture {
  return {
    "go.mod": goMod("example.com/fixtures/slowbuild"),
    "main.go": `// slowbuild prints one line; its own Dockerfile takes its time.
package main

import "fmt"

func main() {
	fmt.Println("Hello after a slow build!")
}
`,
    "stamp.txt": `${stamp}\n`,
    Dockerfile: `FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN for i in $(seq 1 ${seconds}); do echo "tick $i of ${seconds}"; sleep 1; done
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app .

FROM scratch
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
`,
  };
}

/** Not a Go repository: no go.mod, no .go file. */
export const notGo: GoFixture = {
  "README.md": `# A tiny web page

Not written in Go: run it with \`node index.js\`.
`,
  "index.js": `const http = require("node:http");

http
  .createServer((req, res) => res.end("hello\\n"))
  .listen(3000, () => console.log("listening on :3000"));
`,
};

/** go.mod + main.go that does not compile: "./main.go:6:14: undefined: greeting". */
export const doesNotCompile: GoFixture = {
  "go.mod": goMod("example.com/fixtures/doesnotcompile"),
  "main.go": `package main

import "fmt"

func main() {
	fmt.Println(greeting)
}
`,
};

/** An HTTP server on :8080 that keeps running (no outgoing calls). */
export const server: GoFixture = {
  "go.mod": goMod("example.com/fixtures/server"),
  "main.go": `// server answers HTTP requests on :8080 until it is stopped.
package main

import (
	"fmt"
	"log"
	"net/http"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	log.Println("listening on :8080")
	log.Fatal(http.ListenAndServe(":8080", mux))
}
`,
};

/** Every fixture by name. */
export const goFixtures = {
  articleMonorepo,
  thirdPartyApp,
  tlsClient,
  cgoApp,
  twoMains,
  ownDockerfile,
  notGo,
  doesNotCompile,
  server,
  greeterModule,
} satisfies Record<string, GoFixture>;

/** Writes a fixture's files under dir (creating folders). */
export async function writeFixture(dir: string, files: GoFixture): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(dir, name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}
