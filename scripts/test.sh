#!/usr/bin/env bash
# Runs every test: unit, engine (real Docker Engine) and browser (Debian's Chromium).
# Sets up what they need first. Pass a project name (unit, engine, e2e) to run one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
export SLIMSTAGE_BASE_PROFILE=offline NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
# The images the engine and browser tests make are removed at their end (lib/testing/engine-leftovers.ts).
export SLIMSTAGE_TEST_CLEANUP=1
projects=("$@")
(( ${#projects[@]} )) || projects=(unit engine e2e)

needs() { [[ " ${projects[*]} " == *" $1 "* ]]; }

# A Docker Engine this run starts (scripts/engine.sh records it) is stopped at the end;
# one that was already running is left alone.
engine_pid_before=$(cat .slimstage/dockerd.pid 2>/dev/null || true)
stop_own_engine() {
  local now
  now=$(cat .slimstage/dockerd.pid 2>/dev/null || true)
  if [[ -n $now && $now != "$engine_pid_before" ]]; then bash scripts/engine-stop.sh || true; fi
}
trap stop_own_engine EXIT
if needs engine || needs e2e; then
  bash scripts/setup.sh
else
  SLIMSTAGE_SKIP_BUILD=1 bash scripts/setup.sh
fi
# PostgreSQL 15 for the queue, read-model and scale-out tests (Debian's package where
# the machine image lacks its server binaries); they say why they skip without it.
if [[ ! -x /usr/lib/postgresql/15/bin/postgres && $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  apt_install postgresql || log "PostgreSQL could not be installed: its tests will be skipped"
fi
# The engine tests start Debian's registry and Podman themselves; installed here so the
# installs do not count against a test's own time limit.
if needs engine && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  apt_install docker-registry podman catatonit || log "docker-registry/podman could not be installed: their tests will say why they skip"
fi
# The compose test (e2e/compose.test.ts) uses Debian's docker-compose and Slimstage's own
# image, built here before the run so that the run's image cleanup keeps it (and its
# layer cache) for the next run; seconds when the sources did not change.
if needs e2e && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  apt_install docker-compose || log "docker-compose could not be installed: the compose test will say why it skips"
  bash scripts/own-image.sh || log "Slimstage's own image did not build: the compose test will show why"
fi
if needs e2e && [[ ! -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]]; then
  [[ $(id -u) -eq 0 ]] || die "browser tests need Chromium: install Debian's chromium package or set CHROMIUM_PATH"
  apt_install chromium
fi

mkdir -p test-output
failed=0
for project in "${projects[@]}"; do
  log "running the $project tests"
  if ! npx vitest run --project "$project" --reporter=default --reporter=json --outputFile.json="test-output/$project.json"; then
    failed=1
  fi
done

# One closing line over all projects: "N passed, N failed".
node -e '
  let passed = 0, failed = 0;
  for (const project of process.argv.slice(1)) {
    try {
      const r = require(`./test-output/${project}.json`);
      passed += r.numPassedTests; failed += r.numFailedTests;
    } catch { failed += 1; console.error(`no results for ${project}`); }
  }
  console.log(`${passed} passed, ${failed} failed`);
' "${projects[@]}"
exit $failed
