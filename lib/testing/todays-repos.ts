// Fixture repositories that look like today's Go projects (path -> content, as in
// go-fixtures.ts): a `/v2` module on `go 1.25.0` with its program under cmd/ and a
// nested examples module, a `toolchain` line, third-party modules from the loopback
// module proxy and the same ones vendored in a large repository, a go.work workspace,
// Dockerfiles as `docker init` writes them and with a heredoc, cgo, and servers (one
// bound to localhost, one that reads its template at request time). Go sources are
// gofmt-formatted and use the standard library or example.com/greeter only.
import { GREETER_MODULE, GREETER_VERSION, greeterGoSum, greeterModule, type GoFixture } from "@/lib/testing/go-fixtures";

const greeterRequire = `require ${GREETER_MODULE} ${GREETER_VERSION}`;

/**
 * `module …/v2`, `go 1.25.0`, a library package at the root, the program in
 * ./cmd/inventory (it calls sync.WaitGroup.Go, new in Go 1.25: an older builder fails
 * with "wg.Go undefined"), and a nested module under examples/ with a main package of
 * its own, which is not this module's. Prints the totals and "built with go1.25.x".
 */
export const inventoryV2: GoFixture = {
  "go.mod": `module example.com/acme/inventory/v2

go 1.25.0
`,
  "README.md": `# inventory

Counts items. \`go run ./cmd/inventory\`; a usage example lives in its own module under examples/.
`,
  "stock.go": `// Package inventory keeps counts of items, safe for concurrent use.
package inventory

import (
	"maps"
	"slices"
	"sync"
)

// Store counts items by name.
type Store struct {
	mu     sync.Mutex
	counts map[string]int
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{counts: map[string]int{}}
}

// Add adds n items called name.
func (s *Store) Add(name string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[name] += n
}

// Count says how many items called name there are.
func (s *Store) Count(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[name]
}

// Names returns the names of the items, sorted.
func (s *Store) Names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.counts))
}
`,
  "cmd/inventory/main.go": `// inventory adds items from several goroutines and prints the totals. It starts them
// with sync.WaitGroup.Go, new in Go 1.25.
package main

import (
	"fmt"
	"runtime"
	"sync"

	inventory "example.com/acme/inventory/v2"
)

func main() {
	store := inventory.NewStore()
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			store.Add("widgets", i)
			store.Add("gadgets", 1)
		})
	}
	wg.Wait()
	for _, name := range store.Names() {
		fmt.Printf("%s: %d\\n", name, store.Count(name))
	}
	fmt.Println("built with", runtime.Version())
}
`,
  "examples/go.mod": `module example.com/acme/inventory/v2/examples

go 1.25.0

require example.com/acme/inventory/v2 v2.0.0

replace example.com/acme/inventory/v2 => ../
`,
  "examples/main.go": `// An example of using the inventory package; its own module, so it is not part of the
// inventory module's build.
package main

import (
	"fmt"

	inventory "example.com/acme/inventory/v2"
)

func main() {
	store := inventory.NewStore()
	store.Add("apples", 3)
	fmt.Println("apples:", store.Count("apples"))
}
`,
};

/**
 * `go 1.21.0` + `toolchain go1.24.2`: the authors build with Go 1.24, and the program
 * imports crypto/sha3 (in the standard library since Go 1.24), so a builder older than
 * 1.24 fails with "package crypto/sha3 is not in std". Prints a digest and "built with goX".
 */
export const toolchainLine: GoFixture = {
  "go.mod": `module github.com/acme/sum3

go 1.21.0

toolchain go1.24.2
`,
  "main.go": `// sum3 prints the SHA3-256 digest of its arguments (or of "hello").
package main

import (
	"crypto/sha3"
	"fmt"
	"os"
	"runtime"
	"strings"
)

func main() {
	input := "hello"
	if len(os.Args) > 1 {
		input = strings.Join(os.Args[1:], " ")
	}
	fmt.Printf("sha3-256(%q) = %x\\n", input, sha3.Sum256([]byte(input)))
	fmt.Println("built with", runtime.Version())
}
`,
};

const helloApiMain = `// hello-api prints a greeting made by a third-party module.
package main

import (
	"fmt"
	"os"

	"example.com/greeter"
)

func main() {
	name := os.Getenv("NAME")
	fmt.Println(greeter.Hello(name))
}
`;

/** A `go 1.25.0` program in ./cmd/hello needing example.com/greeter v1.0.0, with a complete go.sum. */
export const withModules: GoFixture = {
  "go.mod": `module github.com/acme/hello-api

go 1.25.0

${greeterRequire}
`,
  "go.sum": greeterGoSum,
  "cmd/hello/main.go": helloApiMain,
};

export interface LargeRepoSize {
  /** Small generated .go files vendored under vendor/example.com/greeter/internal/names/. */
  vendoredFiles: number;
  /** Small assets under web/static/icons/. */
  smallAssets: number;
  /** Large, poorly compressible assets under assets/. */
  bigAssets: number;
  bigAssetBytes: number;
}

export const LARGE_REPO: LargeRepoSize = { vendoredFiles: 2000, smallAssets: 1200, bigAssets: 3, bigAssetBytes: 9_000_000 };

/**
 * withModules with the same module vendored (vendor/modules.txt as `go mod vendor` writes
 * it, so builds use -mod=vendor and no network), in a large repository: by default 2,000
 * vendored .go files (a package of greeter's that the program does not import), 1,200
 * small icons and three 9 MB assets — over 3,000 files and 25 MB. Made on each call
 * (deterministic pseudo-random content), never stored in this project's tree.
 */
export function vendoredLargeRepo(size: LargeRepoSize = LARGE_REPO): GoFixture {
  const files: GoFixture = {
    ...withModules,
    "vendor/modules.txt": `# ${GREETER_MODULE} ${GREETER_VERSION}\n## explicit; go 1.21\n${GREETER_MODULE}\n`,
    "vendor/example.com/greeter/greeter.go": greeterModule["greeter.go"]!,
  };
  for (let i = 0; i < size.vendoredFiles; i++) {
    const n = String(i).padStart(4, "0");
    files[`vendor/example.com/greeter/internal/names/zz_names_${n}.go`] =
      `// Code generated by namegen. DO NOT EDIT.\n\npackage names\n\n// Name${n} is a generated greeting name.\nconst Name${n} = "name-${n}"\n`;
  }
  for (let i = 0; i < size.smallAssets; i++) {
    const n = String(i).padStart(4, "0");
    files[`web/static/icons/icon-${n}.svg`] =
      `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><title>icon ${n}</title><circle cx="8" cy="8" r="${(i % 7) + 1}"/></svg>\n`;
  }
  for (let i = 0; i < size.bigAssets; i++) files[`assets/bundle-${i}.dat`] = noise(size.bigAssetBytes, i + 1);
  return files;
}

// Base64 of xorshift32 bytes: text (the git server writes strings) that compresses poorly.
function noise(chars: number, seed: number): string {
  const bytes = Buffer.alloc(Math.ceil((chars * 3) / 4) + 3);
  let x = seed * 2654435761 || 1;
  for (let i = 0; i < bytes.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes.toString("base64").slice(0, chars);
}

/**
 * A go.work workspace at the module root: `use (. ./greetings)`. The program in ./cmd/shop
 * imports example.com/acme/greetings, which its go.mod does not require: only the
 * workspace provides it. The modules say `go 1.24.0`, go.work (as `go work init` writes
 * it with Go 1.25) `go 1.25.0`, so with GOTOOLCHAIN=local a Go 1.24 builder fails on go.work.
 */
export const workspaceAtRoot: GoFixture = {
  "go.work": `go 1.25.0

use (
	.
	./greetings
)
`,
  "go.mod": `module example.com/acme/shop

go 1.24.0
`,
  "cmd/shop/main.go": `// shop greets its customers with the workspace's greetings module.
package main

import (
	"fmt"

	"example.com/acme/greetings"
)

func main() {
	fmt.Println(greetings.Welcome("customer"))
}
`,
  "greetings/go.mod": `module example.com/acme/greetings

go 1.24.0
`,
  "greetings/greetings.go": `// Package greetings words the shop's greetings.
package greetings

// Welcome greets name.
func Welcome(name string) string {
	return "Welcome to the shop, " + name + "!"
}
`,
};

/**
 * The other common workspace layout: no go.mod at the root, go.work there using
 * ./app and ./greetings. The app is chosen with subdir "app"; its go.mod does not
 * require greetings (only the workspace at the root provides it).
 */
export const workspaceOfModules: GoFixture = {
  "go.work": `go 1.25.0

use (
	./app
	./greetings
)
`,
  "app/go.mod": `module example.com/acme/app

go 1.25.0
`,
  "app/main.go": `// app greets with the workspace's greetings module.
package main

import (
	"fmt"

	"example.com/acme/greetings"
)

func main() {
	fmt.Println(greetings.Welcome("app user"))
}
`,
  "greetings/go.mod": workspaceAtRoot["greetings/go.mod"]!,
  "greetings/greetings.go": workspaceAtRoot["greetings/greetings.go"]!,
};

const okServer = (address: string, what: string) => `// server answers "ok" on every path; ${what}.
package main

import (
	"fmt"
	"log"
	"net/http"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	log.Println("listening on ${address}")
	log.Fatal(http.ListenAndServe("${address}", mux))
}
`;

/**
 * A server in ./cmd/server with the Dockerfile `docker init` writes for Go (syntax line,
 * --platform=$BUILDPLATFORM, cache and bind mounts, TARGETARCH, distroless nonroot final
 * stage, EXPOSE, ENTRYPOINT) and its .dockerignore. The module has no dependencies, so
 * `go mod download -x` needs no network (and there is no go.sum to bind).
 */
export const dockerInitServer: GoFixture = {
  "go.mod": `module github.com/acme/webapp

go 1.25.0
`,
  "README.md": "# webapp\n\n`docker build -t webapp . && docker run -p 8080:8080 webapp`\n",
  "cmd/server/main.go": okServer(":8080", "the repository brings the Dockerfile docker init wrote"),
  ".dockerignore": `# Include any files or directories that you don't want to be copied to your
# container here (e.g., local build artifacts, temporary files, etc.).
#
# For more help, visit the .dockerignore file reference guide at
# https://docs.docker.com/go/build-context-dockerignore/

**/.DS_Store
**/.classpath
**/.dockerignore
**/.env
**/.git
**/.gitignore
**/.project
**/.settings
**/.toolstarget
**/.vs
**/.vscode
**/*.*proj.user
**/*.dbmdl
**/*.jfm
**/bin
**/charts
**/docker-compose*
**/compose.y*ml
**/Dockerfile*
**/node_modules
**/npm-debug.log
**/obj
**/secrets.dev.yaml
**/values.dev.yaml
LICENSE
README.md
`,
  Dockerfile: `# syntax=docker/dockerfile:1

# Comments are provided throughout this file to help you get started.
# If you need more help, visit the Dockerfile reference guide at
# https://docs.docker.com/go/dockerfile-reference/

################################################################################
# Create a stage for building the application.
FROM --platform=$BUILDPLATFORM golang:1.25 AS build
WORKDIR /src

# Download dependencies as a separate step to take advantage of Docker's caching.
# Leverage a cache mount to /go/pkg/mod/ to speed up subsequent builds.
# Leverage bind mounts to go.sum and go.mod to avoid having to copy them into
# the container.
RUN --mount=type=cache,target=/go/pkg/mod/ \\
    --mount=type=bind,source=go.mod,target=go.mod \\
    go mod download -x

# This is the architecture you're building for, which is passed in by the builder.
# Placing it here allows the previous steps to be cached across architectures.
ARG TARGETARCH

# Build the application.
# Leverage a cache mount to /go/pkg/mod/ to speed up subsequent builds.
# Leverage a bind mount to the current directory to avoid having to copy the
# source code into the container.
RUN --mount=type=cache,target=/go/pkg/mod/ \\
    --mount=type=bind,target=. \\
    CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /bin/server ./cmd/server

################################################################################
# Create a new stage for running the application that contains the minimal
# runtime dependencies for the application.
FROM gcr.io/distroless/static-debian12:nonroot AS final

# Run as the unprivileged user the image provides.
USER nonroot:nonroot

# Copy the executable from the "build" stage.
COPY --from=build /bin/server /bin/

# Expose the port that the application listens on.
EXPOSE 8080

# What the container should run when it is started.
ENTRYPOINT [ "/bin/server" ]
`,
};

/**
 * dockerInitServer with the build stage exactly as `docker init` writes it: the Go
 * version in `ARG GO_VERSION=1.25` and `FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}`.
 */
export const dockerInitServerGoVersionArg: GoFixture = {
  ...dockerInitServer,
  Dockerfile: dockerInitServer.Dockerfile!.replace(
    "FROM --platform=$BUILDPLATFORM golang:1.25 AS build",
    "ARG GO_VERSION=1.25\nFROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build",
  ),
};

/**
 * A program whose own Dockerfile runs a heredoc (`RUN <<EOF`), which needs the
 * dockerfile:1.4+ frontend; Docker Engine 20.10's built-in frontend does not know it.
 */
export const heredocDockerfile: GoFixture = {
  "go.mod": `module github.com/acme/heredoc

go 1.25.0
`,
  "main.go": `// heredoc prints one line; its Dockerfile builds it with a heredoc.
package main

import "fmt"

func main() {
	fmt.Println("built by a heredoc")
}
`,
  Dockerfile: `# syntax=docker/dockerfile:1.7
FROM golang:1.25 AS build
WORKDIR /src
COPY . .
RUN <<EOF
set -eu
go vet ./...
CGO_ENABLED=0 go build -trimpath -o /out/app .
EOF

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
`,
};

/**
 * `go 1.25.0`, cgo in ./cmd/crc: needs CGO_ENABLED=1, so the binary links glibc
 * dynamically and cannot start on scratch ("exec /app: no such file or directory").
 */
export const cgoTool: GoFixture = {
  "go.mod": `module github.com/acme/crc

go 1.25.0
`,
  "cmd/crc/main.go": `// crc computes a simple checksum in C.
package main

/*
#include <stddef.h>
#include <stdlib.h>

static unsigned int checksum(const char *s, size_t n) {
	unsigned int sum = 0;
	for (size_t i = 0; i < n; i++) sum = sum * 31 + (unsigned char)s[i];
	return sum;
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

func main() {
	text := "hello, cgo"
	cs := C.CString(text)
	defer C.free(unsafe.Pointer(cs))
	fmt.Printf("checksum(%q) = %d\\n", text, uint(C.checksum(cs, C.size_t(len(text)))))
}
`,
};

/** A server bound to localhost:8080 only, as development defaults often are. */
export const localhostServer: GoFixture = {
  "go.mod": `module github.com/acme/devserver

go 1.25.0
`,
  "main.go": okServer("localhost:8080", "it listens on localhost only"),
};

/**
 * A server on :8080 that renders templates/index.html, parsed at each request from the
 * working directory (the single-stage image has it in WORKDIR /src; a scratch image has
 * no such file): without it, it answers 500 and logs the error.
 */
export const templateServer: GoFixture = {
  "go.mod": `module github.com/acme/pages

go 1.25.0
`,
  "templates/index.html": `<!doctype html>
<html lang="en">
  <head><title>{{.Title}}</title></head>
  <body><h1>{{.Title}}</h1><p>Served by pages.</p></body>
</html>
`,
  "main.go": `// pages renders templates/index.html on every request (reloaded each time, as in
// development), so the template must be in the working directory at run time.
package main

import (
	"html/template"
	"log"
	"net/http"
)

func main() {
	http.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) {
		page, err := template.ParseFiles("templates/index.html")
		if err != nil {
			log.Printf("template: %v", err)
			http.Error(w, "internal server error", http.StatusInternalServerError)
			return
		}
		if err := page.Execute(w, map[string]string{"Title": "Pages"}); err != nil {
			log.Printf("render: %v", err)
		}
	})
	log.Println("listening on :8080")
	log.Fatal(http.ListenAndServe(":8080", nil))
}
`,
};

/** Every fixed fixture by name (vendoredLargeRepo is made on demand). */
export const todaysRepos = {
  inventoryV2,
  toolchainLine,
  withModules,
  workspaceAtRoot,
  workspaceOfModules,
  dockerInitServer,
  dockerInitServerGoVersionArg,
  heredocDockerfile,
  cgoTool,
  localhostServer,
  templateServer,
} satisfies Record<string, GoFixture>;
