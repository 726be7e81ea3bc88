# Shared helpers for the scripts: logging, failing with a message, apt with retries.
log() { printf '[slimstage] %s\n' "$*" >&2; }
die() { printf '[slimstage] error: %s\n' "$*" >&2; exit 1; }

# retry N CMD...: runs CMD up to N times, waiting a little longer after each failure,
# because package mirrors fail transiently.
retry() {
  local tries=$1 n=1; shift
  until "$@"; do
    (( n >= tries )) && return 1
    log "attempt $n of $tries failed: $*; retrying"
    sleep $(( n * 5 )); n=$(( n + 1 ))
  done
}

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  (( ${#missing[@]} == 0 )) && return 0
  if (( apt_updated == 0 )); then retry 3 apt-get update -q; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive retry 3 apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# The Debian mirror this machine already uses, read from its apt sources.
debian_mirror() {
  local uri
  uri=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1 || true)
  if [[ -z $uri ]]; then
    uri=$(grep -h '^deb ' /etc/apt/sources.list 2>/dev/null | grep -v security | awk '{print $2}' | head -1 || true)
  fi
  [[ -n $uri ]] || die "cannot find a Debian mirror in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list"
  printf '%s\n' "$uri"
}
