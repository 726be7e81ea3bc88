# Local stand-in for golang:1.23 (bookworm), built from Debian packages only.
# Built by scripts/base-images.sh; needs slimstage/bookworm-minbase:local and a build
# with --network host (the package mirror is reached from the RUN step).
FROM slimstage/bookworm-minbase:local

# The Debian mirror, read from the host's apt sources by scripts/base-images.sh.
ARG MIRROR

# golang-1.23-go is only in bookworm-backports. gcc and libc6-dev are there for cgo,
# as in the official image. apt-get is retried because mirrors
# fail transiently.
RUN set -eu; \
    [ -n "$MIRROR" ] || { echo "build arg MIRROR is required" >&2; exit 1; }; \
    echo "deb $MIRROR bookworm-backports main" >/etc/apt/sources.list.d/backports.list; \
    export DEBIAN_FRONTEND=noninteractive; \
    ok=; for i in 1 2 3; do apt-get update -q && ok=1 && break; sleep $((i * 5)); done; [ -n "$ok" ]; \
    ok=; for i in 1 2 3; do \
      apt-get install -y -q --no-install-recommends golang-1.23-go ca-certificates git tzdata \
        gcc libc6-dev make pkg-config && ok=1 && break; \
      sleep $((i * 5)); \
    done; [ -n "$ok" ]; \
    apt-get clean; \
    rm -rf /var/lib/apt/lists/*; \
    mkdir -p /go/src /go/bin; chmod -R 1777 /go

ENV PATH=/usr/lib/go-1.23/bin:/go/bin:$PATH \
    GOTOOLCHAIN=local \
    GOPATH=/go
WORKDIR /go

LABEL org.slimstage.standin=true \
      org.slimstage.standin.for=golang:1.23 \
      org.slimstage.managed=base-image
