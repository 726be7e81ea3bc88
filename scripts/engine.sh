#!/usr/bin/env bash
# Makes sure a Docker Engine answers. Uses the one that already answers (DOCKER_HOST
# or the default socket); otherwise, on Debian as root, installs Debian's docker.io
# and starts dockerd in the background. It never stops an engine it did not start:
# the dockerd it starts is recorded in .slimstage/dockerd.pid (see engine-stop.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

state_dir=.slimstage
mkdir -p "$state_dir"

# Per-build process limits: the parent cgroup builds go under (never fails; see the script).
bash scripts/build-cgroup.sh

# The engine's version, or nothing when none answers. Without the docker CLI (a machine
# with only Podman's service, say) the socket is asked directly: an engine that answers
# needs neither the CLI nor root.
engine_version() {
  if command -v docker >/dev/null 2>&1; then
    docker version --format '{{.Server.Version}}' 2>/dev/null
  elif [[ ${DOCKER_HOST:-unix:///var/run/docker.sock} == unix://* ]]; then
    SOCKET=${DOCKER_HOST:-unix:///var/run/docker.sock} node -e '
      require("http").get({ socketPath: process.env.SOCKET.slice(7), path: "/version", timeout: 3000 }, (r) => {
        let body = ""; r.on("data", (d) => (body += d));
        r.on("end", () => { try { console.log(JSON.parse(body).Version); } catch { process.exit(1); } });
      }).on("error", () => process.exit(1));' 2>/dev/null
  else
    return 1
  fi
}
engine_answers() { [[ -n $(engine_version) ]]; }

if ! command -v docker >/dev/null 2>&1 || ! command -v dockerd >/dev/null 2>&1; then
  if engine_answers; then :; else
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
      die "No Docker Engine answers and this script can only install one on Debian as root.
  Install Docker Engine (https://docs.docker.com/engine/install/), start it, and make sure
  'docker version' works for this user (or set DOCKER_HOST), then run this again."
    fi
    log "installing Debian's docker.io"
    apt_install docker.io iptables
  fi
fi

if engine_answers; then
  log "Docker Engine $(engine_version) answers${DOCKER_HOST:+ at $DOCKER_HOST}"
  exit 0
fi

if [[ -n "${DOCKER_HOST:-}" ]]; then
  die "DOCKER_HOST=$DOCKER_HOST is set but no engine answers there. Start that engine or unset DOCKER_HOST."
fi
if [[ $(id -u) -ne 0 ]]; then
  die "No Docker Engine answers on the default socket. Start dockerd (as root: 'dockerd &')
  or add this user to the docker group, then run this again."
fi

# A dockerd killed earlier leaves its pid file behind and the next one refuses to start.
if [[ -f /var/run/docker.pid ]] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
  log "removing stale /var/run/docker.pid"
  rm -f /var/run/docker.pid
fi

log "starting dockerd (log: $state_dir/dockerd.log)"
nohup dockerd >"$state_dir/dockerd.log" 2>&1 &
echo $! >"$state_dir/dockerd.pid"

for _ in $(seq 1 60); do
  if engine_answers; then
    log "Docker Engine $(engine_version) started (pid $(cat "$state_dir/dockerd.pid"))"
    exit 0
  fi
  if ! kill -0 "$(cat "$state_dir/dockerd.pid")" 2>/dev/null; then
    tail -20 "$state_dir/dockerd.log" >&2
    die "dockerd exited; its log is above"
  fi
  sleep 1
done
tail -20 "$state_dir/dockerd.log" >&2
die "dockerd did not answer within 60 s; its log is above"
