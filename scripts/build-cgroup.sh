#!/usr/bin/env bash
# Prepares the parent cgroup of builds (SLIMSTAGE_BUILD_CGROUP, default slimstage-builds):
# each build gets its own child of it with a pids.max (lib/engine/build-cgroup.ts), so a
# repository's RUN steps cannot start processes without bound. A worker running as root
# makes the parent itself; this script is for the rest: as root it makes the parent, on
# cgroup v2 enables the pids controller down to it, and with SLIMSTAGE_BUILD_CGROUP_OWNER
# (a user) hands it to that user, so a worker running as that user can make the children.
# It never fails the caller: where it cannot help (remote engine, not root, no cgroups)
# it says so, and builds run without a process limit, as the worker also logs.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

parent=${SLIMSTAGE_BUILD_CGROUP:-slimstage-builds}
parent=${parent#/}
owner=${SLIMSTAGE_BUILD_CGROUP_OWNER:-}
root=/sys/fs/cgroup

if [[ ! $parent =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$ ]]; then
  log "build cgroup: SLIMSTAGE_BUILD_CGROUP=\"$parent\" is not a cgroup path; builds run without a process limit"
  exit 0
fi
case ${DOCKER_HOST:-} in
  "" | unix://*) ;;
  *) log "build cgroup: the engine at $DOCKER_HOST is remote; prepare '$parent' on its host (this script, there)"; exit 0 ;;
esac
if [[ $(id -u) -ne 0 ]]; then
  log "build cgroup: not root, cannot prepare $root/.../$parent (builds get no process limit unless it exists and is yours)"
  exit 0
fi

if [[ -f $root/cgroup.controllers ]]; then
  # cgroup v2: pids.max appears in the children only where every ancestor enables pids.
  dir=$root
  IFS=/ read -ra parts <<<"$parent"
  for part in "${parts[@]}"; do
    grep -qw pids "$dir/cgroup.subtree_control" || echo +pids >"$dir/cgroup.subtree_control" || { log "build cgroup: cannot enable pids in $dir"; exit 0; }
    dir=$dir/$part
    mkdir -p "$dir" || { log "build cgroup: cannot make $dir"; exit 0; }
  done
  grep -qw pids "$dir/cgroup.subtree_control" || echo +pids >"$dir/cgroup.subtree_control" || { log "build cgroup: cannot enable pids in $dir"; exit 0; }
  [[ -n $owner ]] && chown "$owner" "$dir" "$dir/cgroup.procs" "$dir/cgroup.subtree_control"
  log "build cgroup: $dir ready (cgroup v2)"
elif [[ -d $root/pids ]]; then
  dir=$root/pids/$parent
  mkdir -p "$dir" || { log "build cgroup: cannot make $dir"; exit 0; }
  # The engine makes the children in every other hierarchy itself, as root.
  [[ -n $owner ]] && chown "$owner" "$dir"
  log "build cgroup: $dir ready (cgroup v1)"
else
  log "build cgroup: no cgroup v1 pids hierarchy or cgroup v2 at $root; builds run without a process limit"
fi
exit 0
