# Local stand-in for golang:<GO_MINOR>, built from Debian packages only, on the bookworm
# minbase: the Go toolchain from the suite that ships it, everything else from bookworm.
# The one recipe for every Go stand-in: scripts/base-images.sh builds 1.23 and the newest
# up front, lib/engine/standin-builders.ts the others when a module needs them (it reads
# the table below to know which minors it can make). Needs
# slimstage/bookworm-minbase:local and --network host (the RUN step reaches the mirror).
FROM slimstage/bookworm-minbase:local

# The Debian mirror, read from the host's apt sources by scripts/base-images.sh and
# recorded on the images it builds (label org.slimstage.debian-mirror).
ARG MIRROR
ARG GO_MINOR=1.23

# Where Debian ships each Go (one line per minor: standin-builders.ts parses them).
# The extra suites are pinned to priority 100, so only packages that bookworm lacks (the
# toolchain and its source package) come from them: libc, gcc and git stay bookworm's,
# and a newer suite never upgrades the base. Mixing works because Debian's Go needs no
# newer libc than bookworm's (checked: golang-1.27-go from trixie-backports, go1.27.4,
# builds with CGO_ENABLED=0 and with cgo). apt-get is retried: mirrors fail transiently.
RUN set -eu; \
    [ -n "$MIRROR" ] || { echo "build arg MIRROR is required" >&2; exit 1; }; \
    case "$GO_MINOR" in \
      1.23) suites="bookworm-backports" ;; \
      1.24) suites="trixie" ;; \
      1.25) suites="trixie trixie-backports" ;; \
      1.26) suites="trixie trixie-backports" ;; \
      1.27) suites="trixie trixie-backports" ;; \
      *) echo "no recipe for Go $GO_MINOR (Debian ships no golang-$GO_MINOR-go this recipe knows)" >&2; exit 1 ;; \
    esac; \
    for suite in $suites; do \
      echo "deb $MIRROR $suite main" >>/etc/apt/sources.list.d/slimstage-go.list; \
      printf 'Package: *\nPin: release n=%s\nPin-Priority: 100\n\n' "$suite" >>/etc/apt/preferences.d/slimstage-go; \
    done; \
    export DEBIAN_FRONTEND=noninteractive; \
    ok=; for i in 1 2 3; do apt-get update -q && ok=1 && break; sleep $((i * 5)); done; [ -n "$ok" ]; \
    ok=; for i in 1 2 3; do \
      apt-get install -y -q --no-install-recommends "golang-$GO_MINOR-go" ca-certificates git tzdata \
        gcc libc6-dev make pkg-config && ok=1 && break; \
      sleep $((i * 5)); \
    done; [ -n "$ok" ]; \
    apt-get clean; \
    rm -rf /var/lib/apt/lists/*; \
    "/usr/lib/go-$GO_MINOR/bin/go" version | grep -q "go$GO_MINOR"; \
    mkdir -p /go/src /go/bin; chmod -R 1777 /go

ENV PATH=/usr/lib/go-${GO_MINOR}/bin:/go/bin:$PATH \
    GOTOOLCHAIN=local \
    GOPATH=/go
WORKDIR /go

LABEL org.slimstage.standin=true \
      org.slimstage.standin.for=golang:${GO_MINOR} \
      org.slimstage.managed=base-image
