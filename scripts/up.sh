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
port=${PORT:-3000}
log "starting Slimstage on http://localhost:$port"
exec npx next start -p "$port"
