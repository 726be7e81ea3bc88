#!/usr/bin/env bash
# Stops the dockerd that scripts/engine.sh started, and only that one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

pid_file=.slimstage/dockerd.pid
[[ -f $pid_file ]] || exit 0
pid=$(cat "$pid_file")
if kill -0 "$pid" 2>/dev/null; then
  log "stopping dockerd (pid $pid)"
  kill "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
fi
rm -f "$pid_file"
