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

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

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
  log "Docker Engine $(docker version --format '{{.Server.Version}}') answers"
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
    log "Docker Engine $(docker version --format '{{.Server.Version}}') started (pid $(cat "$state_dir/dockerd.pid"))"
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
