#!/usr/bin/env bash
# Installs the Debian packages named (those missing), for test setup: the tests start
# Debian's docker-registry and podman themselves. Needs root and apt-get.
# Usage: bash scripts/testing/apt-install.sh PACKAGE...
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
[[ $(id -u) -eq 0 ]] || die "installing $* needs root"
command -v apt-get >/dev/null 2>&1 || die "installing $* needs apt-get (a Debian host)"
apt_install "$@"
