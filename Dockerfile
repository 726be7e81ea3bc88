# Slimstage's own image: one image for both processes (`web`, the default, and `worker`;
# `migrate` only migrates), in three stages so that only what runs is kept:
#   build   every npm package, the Prisma clients, `next build` with output "standalone"
#           (Next traces the files its server needs), and the processes' entry points
#           compiled by esbuild into one file (scripts/container.ts) whose npm packages are
#           traced the same way (@vercel/nft, as Next uses it): no tsx, no Prisma CLI, no
#           dev packages, no compilers. Then what the trace takes along but nothing loads
#           here: source maps, type declarations, Next's development runtimes and its
#           docs, sharp (Next's image optimizer: the app has no next/image), and Prisma's
#           query engines and compilers for other databases (its client engine compiles
#           queries for SQLite and PostgreSQL only);
#   system  the Node binary, git (the worker clones repositories), CA roots and the shared
#           libraries they load (found with ldd), copied out of the Node base;
#   final   FROM scratch: those two trees and a passwd with one unprivileged user. No
#           package manager, no shell but dash (git's file:// transport runs one).
# NODE_IMAGE: a Debian-based Node 20 image with npm. The default is the official one; the
# tests pass slimstage/node:20-local, made from Debian's packages (scripts/base-images.sh
# --compose). apt-get needs the network: build with --network host where only the
# host's loopback reaches a Debian mirror. No `# syntax` line, heredocs or RUN --mount:
# the classic builder builds it (the docker CLI here has no buildx), with its layer cache.
# EXTRA_CA_CERTS: PEM text of root certificates a TLS-intercepting proxy on the way to the
# npm registry needs (none by default): npm trusts them in the build, and git and Node
# in the image (appended to its CA bundle). Public certificates, not secrets.
ARG NODE_IMAGE=node:20-bookworm-slim
ARG EXTRA_CA_CERTS=

# --- build ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
LABEL org.slimstage.own-image=true
# better-sqlite3 compiles from source where its prebuilt binary cannot be downloaded.
RUN set -eu; \
    export DEBIAN_FRONTEND=noninteractive; \
    ok=; for i in 1 2 3; do apt-get update -q && ok=1 && break; sleep $((i * 5)); done; [ -n "$ok" ]; \
    apt-get install -y -q --no-install-recommends python3 make g++; \
    rm -rf /var/lib/apt/lists/*
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
COPY package.json package-lock.json ./
# Install scripts run only for better-sqlite3 (as package.json's allowScripts says), with
# the base's own Node headers so node-gyp downloads none.
ARG EXTRA_CA_CERTS
RUN set -eu; \
    if [ -n "$EXTRA_CA_CERTS" ]; then printf '%s\n' "$EXTRA_CA_CERTS" >/tmp/extra-ca.pem; export NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem; fi; \
    for dir in /usr/local /usr; do \
      if [ -f "$dir/include/node/node.h" ]; then export npm_config_nodedir="$dir"; break; fi; \
    done; \
    npm ci --ignore-scripts --no-audit --no-fund; \
    npm rebuild better-sqlite3; \
    node -e 'require("better-sqlite3")(":memory:").close()'; \
    rm -rf /root/.npm /tmp/extra-ca.pem
COPY . .
RUN set -eu; \
    npx prisma generate --schema prisma/schema.prisma >/dev/null; \
    npx prisma generate --schema prisma/postgresql/schema.prisma >/dev/null; \
    SLIMSTAGE_NEXT_STANDALONE=1 npx next build; \
    npx esbuild scripts/container.ts --bundle --platform=node --target=node20 --format=cjs \
      --packages=external --log-level=warning --legal-comments=none \
      --define:import.meta.url=__import_meta_url \
      '--banner:js=const __import_meta_url = require("node:url").pathToFileURL(__filename).href;' \
      --outfile=dist/container.cjs; \
    mkdir -p /app/.next; \
    cp -a .next/standalone/. /app/; \
    rm -f /app/server.js; \
    cp -a .next/static /app/.next/static; \
    cp -a public /app/public; \
    node -e 'require("next/dist/compiled/@vercel/nft").nodeFileTrace(["dist/container.cjs"], { base: process.cwd() }).then(({ fileList }) => { for (const f of fileList) console.log(f) })' >/tmp/traced; \
    { cat /tmp/traced; printf '%s\n' examples lib/verify/probe/go.mod lib/verify/probe/main.go \
        scripts/base-images/golang.Dockerfile prisma/postgresql/migrations; } | tar -cf - -T - | tar -xf - -C /app; \
    cd /app/node_modules; \
    rm -rf sharp @img next/dist/docs; \
    find . -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.runtime.dev.js' \) -delete; \
    find @prisma/client/runtime -type f \( -name 'query_engine_bg.*' -o -name '*.mysql.*' -o -name '*.sqlserver.*' \
      -o -name '*.cockroachdb.*' -o -name 'query_compiler_bg.*.js' \) -delete; \
    cd /src; \
    node -e 'const m = require("/app/node_modules/better-sqlite3"); new m(":memory:").close()'

# --- system --------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS system
LABEL org.slimstage.own-image=true
RUN set -eu; \
    export DEBIAN_FRONTEND=noninteractive; \
    ok=; for i in 1 2 3; do apt-get update -q && ok=1 && break; sleep $((i * 5)); done; [ -n "$ok" ]; \
    apt-get install -y -q --no-install-recommends git ca-certificates; \
    rm -rf /var/lib/apt/lists/*
# Each program with every library ldd finds for it, at the same paths; the JavaScript
# files a Debian-built libnode loads from /usr/share/nodejs (its "externalized builtins":
# acorn, cjs-module-lexer, undici, minimatch; the official binary has them inside); git's
# transport helpers for http(s) (hard links of one file, copied together so they stay
# one), and its templates (git init warns without them).
ARG EXTRA_CA_CERTS
RUN set -eu; \
    r=/rootfs; mkdir -p "$r"; \
    node=$(command -v node); \
    cp -a --parents /usr/lib/git-core/git-remote-http /usr/lib/git-core/git-remote-https "$r"; \
    programs="$node $(command -v git) /usr/lib/git-core/git-remote-http /bin/dash /bin/false"; \
    for p in $programs; do \
      [ -e "$r$p" ] || cp -L --parents "$p" "$r"; \
      ldd "$p" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | while read -r lib; do \
        [ -e "$r$lib" ] || cp -L --parents "$lib" "$r"; \
      done; \
    done; \
    for f in $(find "$r" -type f -name '*.so*' -exec grep -a -h -o '/usr/share/nodejs/[A-Za-z0-9_./-]*[.]js' {} + | sort -u); do \
      cp -L --parents "$f" "$r"; \
    done; \
    cp -a --parents /usr/share/git-core/templates "$r"; \
    ln -s dash "$r/bin/sh"; \
    [ "$node" = /usr/local/bin/node ] || { mkdir -p "$r/usr/local/bin"; ln -s "$node" "$r/usr/local/bin/node"; }; \
    mkdir -p "$r/etc/ssl/certs" "$r/tmp" "$r/home/nonroot" "$r/app/.next/cache"; \
    cp -L /etc/ssl/certs/ca-certificates.crt "$r/etc/ssl/certs/"; \
    if [ -n "$EXTRA_CA_CERTS" ]; then printf '%s\n' "$EXTRA_CA_CERTS" >>"$r/etc/ssl/certs/ca-certificates.crt"; fi; \
    printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >"$r/etc/passwd"; \
    printf '%s\n' 'root:x:0:' 'nonroot:x:65532:' >"$r/etc/group"; \
    printf '%s\n' 'passwd: files' 'group: files' 'hosts: files dns' >"$r/etc/nsswitch.conf"; \
    chmod 1777 "$r/tmp"; \
    chown 65532:65532 "$r/home/nonroot" "$r/app/.next/cache"; \
    chroot "$r" /usr/local/bin/node -e 'require("node:crypto").createHash("sha256")'

# --- final ---------------------------------------------------------------------------
FROM scratch
LABEL org.slimstage.own-image=true
COPY --from=system /rootfs/ /
COPY --from=build /app/ /app/
ARG NODE_IMAGE
ENV PATH=/usr/local/bin:/usr/bin:/bin \
    NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOME=/home/nonroot \
    PORT=3000
WORKDIR /app
USER 65532:65532
EXPOSE 3000
ENTRYPOINT ["node", "dist/container.cjs"]
CMD ["web"]
LABEL org.opencontainers.image.title=slimstage \
      org.opencontainers.image.description="Slimstage: web (default) or worker; needs DATABASE_URL=postgres://..." \
      org.slimstage.node-base=${NODE_IMAGE}
