#!/usr/bin/env bash
# Builds Slimstage's own image (Dockerfile) on this engine from the stand-in bases, for
# the compose test (e2e/compose.test.ts) and for anyone without a registry: the stand-ins
# first (scripts/base-images.sh --compose), then `docker build` with the classic builder,
# whose layer cache makes a build of unchanged sources take seconds. The CA roots this
# host trusts beyond Debian's (a TLS-intercepting proxy's) are passed as EXTRA_CA_CERTS.
# What it keeps: the image (TAG) and the intermediate images of its latest build, the
# layer cache of the next one. What it removes: the intermediate images of its earlier
# builds that this build no longer uses, and the image TAG named before, when replaced
# (it records the IDs it made in .slimstage/own-image.ids; nothing else is touched).
# Usage: bash scripts/own-image.sh [TAG]   (default slimstage/slimstage:test)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

tag=${1:-slimstage/slimstage:test}
node_base=slimstage/node:20-local
ids_file=.slimstage/own-image.ids
export DOCKER_BUILDKIT=0

docker version --format '{{.Server.Version}}' >/dev/null 2>&1 \
  || die "no Docker Engine answers; start one with 'bash scripts/engine.sh' and run this again."
bash scripts/base-images.sh --compose >/dev/null

# Certificates in this host's bundle that Debian's ca-certificates does not ship.
extra_ca=$(node -e '
  const fs = require("fs"), path = require("path");
  const pems = (text) => text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
  const key = (pem) => pem.replace(/\s+/g, "");
  const read = (file) => { try { return fs.readFileSync(file, "utf8"); } catch { return ""; } };
  const dir = "/usr/share/ca-certificates/mozilla";
  const debian = new Set((fs.existsSync(dir) ? fs.readdirSync(dir) : []).flatMap((f) => pems(read(path.join(dir, f)))).map(key));
  process.stdout.write(pems(read("/etc/ssl/certs/ca-certificates.crt")).filter((pem) => !debian.has(key(pem))).join("\n"));
')

start=$SECONDS
old_id=$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
log "building $tag (Dockerfile, NODE_IMAGE=$node_base)"
built=1
docker build --network host --force-rm \
  --build-arg "NODE_IMAGE=$node_base" --build-arg "EXTRA_CA_CERTS=$extra_ca" \
  -t "$tag" . >"$build_log" 2>&1 || built=0

# The steps of this build (" ---> 0123456789ab"): the layer cache kept for the next.
mkdir -p .slimstage
mapfile -t steps < <(sed -n 's/^ ---> \([0-9a-f]\{12\}\)$/\1/p' "$build_log" | sort -u)
mapfile -t earlier < <(cat "$ids_file" 2>/dev/null || true)
if (( built == 0 )); then
  # Kept on record, so that the next build that works removes what this one left.
  printf '%s\n' "${earlier[@]}" "${steps[@]}" | sort -u | grep . >"$ids_file" || true
  tail -40 "$build_log" >&2
  die "the image did not build; its log is above"
fi
new_id=$(docker image inspect --format '{{.Id}}' "$tag")
printf '%s\n' "${steps[@]}" >"$ids_file"
if [[ -n $old_id && $old_id != "$new_id" ]]; then
  docker rmi "$old_id" >/dev/null 2>&1 || log "kept the replaced image ${old_id#sha256:} (a container still uses it)"
fi
# Children before parents: newest first, twice over.
removed=0
for _ in 1 2; do
  for id in $(docker images -a -q --filter label=org.slimstage.own-image=true); do
    [[ " ${earlier[*]} " == *" $id "* && " ${steps[*]} " != *" $id "* ]] || continue
    [[ -z $(docker image inspect --format '{{join .RepoTags ","}}' "$id" 2>/dev/null) ]] || continue
    if docker rmi "$id" >/dev/null 2>&1; then removed=$((removed + 1)); fi
  done
done
size=$(docker image inspect --format '{{.Size}}' "$tag")
log "$tag built in $((SECONDS - start)) s: $(awk -v s="$size" 'BEGIN { printf "%.1f MB", s / 1e6 }') on disk$( (( removed )) && echo "; removed $removed image(s) of earlier builds")"
