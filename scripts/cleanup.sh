#!/usr/bin/env bash
# Removes every container and image Slimstage created (they carry the label
# org.slimstage.app=slimstage), containers with their anonymous volumes, and the empty
# per-build cgroups a canceled build may have left (scripts/build-cgroup.sh) and the run
# checks' (lib/engine/run-memory.ts) a killed worker may have left. Base images
# and the database are left alone.
#
# Images a build committed before it failed carry no label; the worker removes them
# itself (lib/engine/build-leftovers.ts), but not when it was killed mid-build. For an
# engine that serves Slimstage only, `--dangling` also removes every unlabelled untagged
# image that nothing is built on (`docker image prune`): on a shared engine that would
# take other people's too, so it is never the default.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

dangling=0
for arg in "$@"; do
  case $arg in
    --dangling) dangling=1 ;;
    *) die "unknown argument $arg (usage: scripts/cleanup.sh [--dangling])" ;;
  esac
done

containers=$(docker ps -aq --filter label=org.slimstage.app=slimstage)
if [[ -n $containers ]]; then
  log "removing $(wc -w <<<"$containers") container(s) and their volumes"
  docker rm -fv $containers >/dev/null
fi
images=$(docker images -q --filter label=org.slimstage.app=slimstage | sort -u)
if [[ -n $images ]]; then
  log "removing $(wc -w <<<"$images") image(s)"
  docker rmi -f $images >/dev/null || true
fi
if (( dangling )); then
  log "removing unlabelled dangling images (engine-wide)"
  docker image prune -f --filter "label!=org.slimstage.app" >/dev/null
fi

# Per-build cgroups, and the run checks' whose peak memory was read (lib/engine/run-memory.ts),
# on this host: an engine that is remote has its own.
if [[ -z ${DOCKER_HOST:-} || ${DOCKER_HOST:-} == unix://* ]]; then
  parent=${SLIMSTAGE_BUILD_CGROUP:-slimstage-builds}
  removed=0
  for name in "${parent#/}" slimstage-runs; do
    for dir in /sys/fs/cgroup/"$name" /sys/fs/cgroup/*/"$name"; do
      [[ -d $dir && $dir != */../* ]] || continue
      for child in "$dir"/*/; do
        # rmdir takes only a cgroup with no processes and no children: a build or run still going keeps its own.
        [[ -d $child ]] && rmdir "$child" 2>/dev/null && removed=$((removed + 1))
      done
    done
  done
  (( removed )) && log "removed $removed empty build or run cgroup(s)"
fi
log "cleanup done"
