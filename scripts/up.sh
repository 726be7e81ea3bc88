#!/usr/bin/env bash
# Sets everything up and starts Slimstage on PORT (default 3000). The base images: the
# official ones when the engine can pull them (or has them), else local stand-ins built
# from Debian packages (root on Debian only); SLIMSTAGE_BASE_PROFILE=official|offline
# decides instead of asking. Needs no root when an engine answers and a registry does.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
export NEXT_TELEMETRY_DISABLED=1

bash scripts/setup.sh
# The profile setup.sh chose (or was given), for everything started below.
SLIMSTAGE_BASE_PROFILE=$(cat .slimstage/base-profile)
export SLIMSTAGE_BASE_PROFILE

# start: both roles on this machine — one build worker for this engine, in the
# background (stopped with the web process), and the web process in the foreground.
# Both write JSON lines (lib/log.ts) to their files; this terminal shows them as
# pino-pretty draws them: time, level, role, worker, comparison/variant, message.
export PORT=${PORT:-3000}
mkdir -p .slimstage
log "starting the build worker (log: .slimstage/worker.log)"
: >.slimstage/web.log
npm run --silent worker >.slimstage/worker.log 2>&1 &
worker_pid=$!
tail -q -n +1 -F .slimstage/worker.log .slimstage/web.log 2>/dev/null > >(node_modules/.bin/pino-pretty --singleLine \
  --translateTime SYS:HH:MM:ss.l --ignore pid,hostname,role,workerId,comparisonId,variant \
  --messageFormat '{role}{if workerId} {workerId}{end}{if comparisonId} {comparisonId}{end}{if variant}/{variant}{end}: {msg}') &
pretty_pid=$!
trap 'kill "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true; kill "$pretty_pid" 2>/dev/null || true' EXIT INT TERM
log "starting Slimstage on http://localhost:$PORT (log: .slimstage/web.log)"
npm run --silent web >>.slimstage/web.log 2>&1
