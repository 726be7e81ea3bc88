#!/usr/bin/env bash
# Sets everything up and starts Slimstage on PORT (default 3000). Without a container
# registry (the default here) it builds and uses local stand-in base images; set
# SLIMSTAGE_BASE_PROFILE=official to use the official images instead.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
export SLIMSTAGE_BASE_PROFILE=${SLIMSTAGE_BASE_PROFILE:-offline}
export NEXT_TELEMETRY_DISABLED=1

bash scripts/setup.sh

# start: both roles on this machine — one build worker for this engine, in the
# background (stopped with the web process), and the web process in the foreground.
export PORT=${PORT:-3000}
mkdir -p .slimstage
log "starting the build worker (log: .slimstage/worker.log)"
npm run --silent worker >.slimstage/worker.log 2>&1 &
worker_pid=$!
trap 'kill "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true' EXIT INT TERM
log "starting Slimstage on http://localhost:$PORT"
npm run --silent web
