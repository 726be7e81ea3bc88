#!/usr/bin/env bash
# Removes every container and image Slimstage created (they carry the label
# org.slimstage.app=slimstage). Base images and the database are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

containers=$(docker ps -aq --filter label=org.slimstage.app=slimstage)
if [[ -n $containers ]]; then
  log "removing $(wc -w <<<"$containers") container(s)"
  docker rm -f $containers >/dev/null
fi
images=$(docker images -q --filter label=org.slimstage.app=slimstage | sort -u)
if [[ -n $images ]]; then
  log "removing $(wc -w <<<"$images") image(s)"
  docker rmi -f $images >/dev/null || true
fi
log "cleanup done"
