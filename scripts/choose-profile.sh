#!/usr/bin/env bash
# Prints the base profile to use, `official` or `offline`, on stdout (why, on stderr).
# SLIMSTAGE_BASE_PROFILE, when set, decides. Otherwise the engine is asked whether it
# has or can pull the official Go builder and static base (scripts/choose-profile.ts):
# `official` when it can; else `offline` when the local stand-ins exist or this host
# can make them (Debian, root); else it stops with the two ways out.
# Needs the npm packages (scripts/setup.sh installs them) and an engine that answers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

case ${SLIMSTAGE_BASE_PROFILE:-} in
  official | offline)
    log "base profile: $SLIMSTAGE_BASE_PROFILE (SLIMSTAGE_BASE_PROFILE is set)"
    echo "$SLIMSTAGE_BASE_PROFILE"
    exit 0 ;;
  "") ;;
  *) die "SLIMSTAGE_BASE_PROFILE must be official or offline, got \"$SLIMSTAGE_BASE_PROFILE\"" ;;
esac

# Whether stand-ins exist or can be made; asked only of the docker CLI, and only when it is there.
standins="cannot-make: the docker CLI is not installed"
if command -v docker >/dev/null 2>&1; then standins=$(bash scripts/base-images.sh --check); fi
code=0
profile=$(npx tsx scripts/choose-profile.ts "$standins") || code=$?
(( code == 0 )) || exit "$code"
echo "$profile"
