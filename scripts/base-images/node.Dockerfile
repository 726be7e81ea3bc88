# Local stand-in for node:20-bookworm-slim, built from Debian packages only: trixie's
# nodejs (20.19) and npm on the trixie minbase (slimstage/trixie-minbase:local, made by
# scripts/base-images.sh with debootstrap). Like the official image it carries npm and
# Node's C headers (libnode-dev), so native modules (better-sqlite3) build against it
# without downloading headers. Built with --network host (the RUN step reaches the
# Debian mirror the minbase's sources name). Used by the Dockerfile of Slimstage itself
# (build arg NODE_IMAGE) in the compose test; nothing else needs it.
FROM slimstage/trixie-minbase:local

# apt-get is retried: mirrors fail transiently.
RUN set -eu; \
    export DEBIAN_FRONTEND=noninteractive; \
    ok=; for i in 1 2 3; do apt-get update -q && ok=1 && break; sleep $((i * 5)); done; [ -n "$ok" ]; \
    ok=; for i in 1 2 3; do \
      apt-get install -y -q --no-install-recommends nodejs npm libnode-dev ca-certificates && ok=1 && break; \
      sleep $((i * 5)); \
    done; [ -n "$ok" ]; \
    apt-get clean; \
    rm -rf /var/lib/apt/lists/*; \
    node -e 'if (process.versions.node.split(".")[0] !== "20") { console.error("not Node 20: " + process.version); process.exit(1) }'; \
    npm --version >/dev/null

CMD ["node"]
LABEL org.slimstage.standin=true \
      org.slimstage.standin.for=node:20-bookworm-slim \
      org.slimstage.managed=base-image
