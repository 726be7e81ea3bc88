#!/usr/bin/env bash
# Builds the local stand-in base images from Debian packages, with no container
# registry (none is reachable on the project's machines):
#
#   slimstage/bookworm-minbase:local  debootstrap --variant=minbase bookworm, imported
#                                     (stands in for debian:bookworm-slim)
#   slimstage/golang:1.23-local       minbase + golang-1.23-go from bookworm-backports
#   slimstage/golang:1.27-local       minbase + golang-1.27-go from trixie-backports
#                                     (both scripts/base-images/golang.Dockerfile; 1.24-1.26
#                                     are made from it on demand by the worker)
#   slimstage/static:local            scratch + CA certificates + zoneinfo + passwd
#                                     (scripts/base-images/static.Dockerfile)
#
# With --compose, also the bases of Slimstage's own image and composition (Dockerfile,
# compose.yaml; the compose test builds them), which nothing else needs:
#
#   slimstage/trixie-minbase:local    debootstrap --variant=minbase trixie (debian:trixie-slim)
#   slimstage/node:20-local           that + trixie's nodejs 20 and npm (node:20-bookworm-slim;
#                                     scripts/base-images/node.Dockerfile)
#   slimstage/postgres:15-local       bookworm minbase + postgresql-15 (postgres:15-bookworm;
#                                     scripts/base-images/postgres.Dockerfile)
#
# Idempotent: an image made by the current recipe is skipped (images survive dockerd
# restarts), and when all exist nothing else is needed (no root, no Debian). Go stand-ins
# the worker made on demand are rebuilt here too when their recipe changed.
# Usage: bash scripts/base-images.sh [--force | --check] [--compose]
#   --force  rebuilds all of them
#   --compose  also the three bases of Slimstage's own image and composition
#   --check  builds nothing; prints "present" (all exist), "can-make" (some are
#            missing and this host can build them) or "cannot-make: WHY"
# Building needs root on Debian (it installs debootstrap) and a Docker Engine that
# answers (bash scripts/engine.sh). The Debian mirror is read from the host's apt
# sources and recorded on the Go stand-ins (label org.slimstage.debian-mirror), where
# the worker finds it for the ones it makes on demand.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

MINBASE=slimstage/bookworm-minbase:local
GOLANG_DOCKERFILE=scripts/base-images/golang.Dockerfile
golang_ref() { printf 'slimstage/golang:%s-local\n' "$1"; }
# 1.23 is the offline profile's oldest builder and the static base's source; 1.27 the
# newest, so today's modules build without waiting for an on-demand build.
GO_UP_FRONT=(1.23 1.27)
GOLANG=$(golang_ref 1.23)
STATIC=slimstage/static:local
TRIXIE_MINBASE=slimstage/trixie-minbase:local
NODE=slimstage/node:20-local
POSTGRES=slimstage/postgres:15-local
MIRROR_LABEL=org.slimstage.debian-mirror
# The classic builder: the one the project's machines have (no buildx), and the one
# whose history reports one row per instruction.
export DOCKER_BUILDKIT=0

force=0
check=0
compose=0
for arg in "$@"; do
  case $arg in
    --force) force=1 ;;
    --check) check=1 ;;
    --compose) compose=1 ;;
    -h|--help) sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $arg (usage: bash scripts/base-images.sh [--force | --check] [--compose])" ;;
  esac
done

docker version --format '{{.Server.Version}}' >/dev/null 2>&1 \
  || die "no Docker Engine answers; start one with 'bash scripts/engine.sh' and run this again."

image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null; }

# With --force, old images are untagged by the rebuild; remember their IDs so they can
# be removed at the end (children first) instead of lingering as dangling images.
old_ids=()
# recipe NAME: a digest of how an image is made (its Dockerfile, and the image it is
# built from), stored as a label; an image whose recipe changed is rebuilt.
recipe() {
  case $1 in
    "$MINBASE") echo "minbase-1" ;;
    # One recipe for every Go minor (lib/engine/standin-builders.ts computes the same).
    slimstage/golang:*-local) sha256sum <"$GOLANG_DOCKERFILE" | cut -c1-16 ;;
    "$STATIC") { cat scripts/base-images/static.Dockerfile; image_id "$GOLANG"; } | sha256sum | cut -c1-16 ;;
    "$TRIXIE_MINBASE") echo "minbase-trixie-1" ;;
    "$NODE") { cat scripts/base-images/node.Dockerfile; image_id "$TRIXIE_MINBASE"; } | sha256sum | cut -c1-16 ;;
    "$POSTGRES") { cat scripts/base-images/postgres.Dockerfile scripts/base-images/postgres-entry.sh; image_id "$MINBASE"; } | sha256sum | cut -c1-16 ;;
  esac
}
RECIPE_LABEL=org.slimstage.standin.recipe
wanted() {
  local name=$1 id have
  if id=$(image_id "$name"); then
    have=$(docker image inspect --format "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$name" 2>/dev/null || true)
    if (( force == 0 )) && [[ $have == "$(recipe "$name")" ]]; then
      log "$name exists ($(docker image inspect --format '{{.Size}}' "$name" | awk '{printf ($1 < 1e7 ? "%.1f MB" : "%.0f MB"), $1/1e6}')); skipping"
      return 1
    fi
    (( force == 1 )) || log "$name was made by an older recipe; rebuilding it"
    old_ids=("$id" "${old_ids[@]}")
  fi
  return 0
}

elapsed() { printf '%ds' $(( SECONDS - $1 )); }

# The recipe's line for a Go minor ('1.25) suites="trixie trixie-backports" ;;'), if any.
recipe_line() { grep -E "^ +${1//./\\.}\) suites=" "$GOLANG_DOCKERFILE"; }
# The Go stand-ins to keep current: the up-front ones, and any other the worker made.
golang_minors() {
  {
    printf '%s\n' "${GO_UP_FRONT[@]}"
    docker images --filter label=org.slimstage.standin=true --format '{{.Repository}}:{{.Tag}}' 2>/dev/null \
      | sed -n 's#^slimstage/golang:\([0-9]*\.[0-9]*\)-local$#\1#p'
  } | sort -u -t. -k1,1n -k2,2n | while read -r minor; do
    if recipe_line "$minor" >/dev/null; then echo "$minor"; fi
  done
}
mapfile -t GO_MINORS < <(golang_minors)
GO_REFS=()
for minor in "${GO_MINORS[@]}"; do GO_REFS+=("$(golang_ref "$minor")"); done
COMPOSE_REFS=()
(( compose == 0 )) || COMPOSE_REFS=("$TRIXIE_MINBASE" "$NODE" "$POSTGRES")

# Why this host cannot build stand-ins, or nothing when it can.
cannot_make() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "building them needs root (it installs debootstrap and runs it)"
  elif [[ ! -f /etc/debian_version ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "building them needs a Debian host (apt-get, debootstrap)"
  fi
}
# Whether all exist, made by the current recipes (no root needed to ask).
all_present() {
  local name
  for name in "$MINBASE" "${GO_REFS[@]}" "$STATIC" "${COMPOSE_REFS[@]}"; do
    image_id "$name" >/dev/null || return 1
    [[ $(docker image inspect --format "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$name" 2>/dev/null) == "$(recipe "$name")" ]] || return 1
  done
}

if (( check == 1 )); then
  if all_present; then echo present
  elif why=$(cannot_make) && [[ -n $why ]]; then echo "cannot-make: $why"
  else echo can-make
  fi
  exit 0
fi
if (( force == 0 )) && all_present; then
  log "the stand-in base images exist; nothing to build"
else
  why=$(cannot_make)
  [[ -z $why ]] || die "scripts/base-images.sh: some stand-in base images are missing and $why. Run it as root on a Debian host (sudo bash scripts/base-images.sh), or use the official images (SLIMSTAGE_BASE_PROFILE=official)."
  mirror=$(debian_mirror)
  log "Debian mirror (from the host's apt sources): $mirror"
fi

# --- 1. slimstage/bookworm-minbase:local -------------------------------------------
rootfs_parent=
# Removes a directory that debootstrap worked in. debootstrap mounts /proc and /sys
# inside the target and a failed run can leave them mounted: unmount those first, and
# never let rm cross into another file system.
remove_tree() {
  local dir=$1 m
  [[ -n $dir && -e $dir ]] || return 0
  for m in $(awk -v p="$dir/" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf --one-file-system "$dir"
}
cleanup() { remove_tree "$rootfs_parent"; }
trap cleanup EXIT

# One debootstrap attempt into an empty directory (retried by the caller).
debootstrap_once() {
  local rootfs=$1 suite=${2:-bookworm}
  remove_tree "$rootfs"; mkdir -p "$rootfs"
  if ! debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$rootfs_parent/debootstrap.out" 2>&1; then
    tail -15 "$rootfs_parent/debootstrap.out" >&2
    if [[ -f $rootfs/debootstrap/debootstrap.log ]]; then tail -15 "$rootfs/debootstrap/debootstrap.log" >&2; fi
    return 1
  fi
}

if wanted "$MINBASE"; then
  start=$SECONDS
  apt_install debootstrap debian-archive-keyring
  rootfs_parent=$(mktemp -d /tmp/slimstage-minbase.XXXXXX)
  rootfs=$rootfs_parent/rootfs
  log "debootstrap --variant=minbase bookworm (into $rootfs)"
  retry 3 debootstrap_once "$rootfs" || die "debootstrap failed 3 times; its output is above"
  # The rootfs keeps no downloaded .debs or package lists, like debian:bookworm-slim.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/debootstrap
  log "importing $MINBASE"
  tar --numeric-owner -C "$rootfs" -c . | docker import \
    --change 'LABEL org.slimstage.standin=true' \
    --change 'LABEL org.slimstage.standin.for=debian:bookworm-slim' \
    --change 'LABEL org.slimstage.managed=base-image' \
    --change "LABEL $RECIPE_LABEL=$(recipe "$MINBASE")" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' \
    - "$MINBASE" >/dev/null
  cleanup; rootfs_parent=
  log "$MINBASE built in $(elapsed "$start")"
fi

# --- 2. slimstage/golang:<minor>-local ---------------------------------------------
# Side by side: each mostly downloads and unpacks, so two take little longer than one.
building=()
for minor in "${GO_MINORS[@]}"; do
  ref=$(golang_ref "$minor")
  wanted "$ref" || continue
  log "building $ref (golang-$minor-go from $(recipe_line "$minor" | sed 's/.*suites="\([^"]*\)".*/\1/'))"
  (
    start=$SECONDS
    build_log=$(mktemp)
    trap 'rm -f "$build_log"' EXIT
    if docker build --network host --force-rm \
      --build-arg "MIRROR=$mirror" --build-arg "GO_MINOR=$minor" \
      --label org.slimstage.managed=base-image --label "$RECIPE_LABEL=$(recipe "$ref")" \
      --label "$MIRROR_LABEL=$mirror" \
      -f "$GOLANG_DOCKERFILE" -t "$ref" scripts/base-images >"$build_log" 2>&1; then
      log "$ref built in $(elapsed "$start")"
    else
      tail -30 "$build_log" >&2
      exit 1
    fi
  ) &
  building+=("$!")
done
for pid in "${building[@]}"; do
  wait "$pid" || die "a Go stand-in did not build; its log is above"
done

# --- 3. slimstage/static:local -----------------------------------------------------
if wanted "$STATIC"; then
  start=$SECONDS
  log "building $STATIC (scratch + CA certificates + zoneinfo + passwd)"
  docker build --network none --force-rm \
    --label org.slimstage.managed=base-image --label "$RECIPE_LABEL=$(recipe "$STATIC")" \
    -f scripts/base-images/static.Dockerfile -t "$STATIC" scripts/base-images >&2
  log "$STATIC built in $(elapsed "$start")"
fi

# --- 4. with --compose: the bases of Slimstage's own image and composition ------------
if (( compose == 1 )) && wanted "$TRIXIE_MINBASE"; then
  start=$SECONDS
  apt_install debootstrap debian-archive-keyring
  rootfs_parent=$(mktemp -d /tmp/slimstage-minbase.XXXXXX)
  rootfs=$rootfs_parent/rootfs
  log "debootstrap --variant=minbase trixie (into $rootfs)"
  retry 3 debootstrap_once "$rootfs" trixie || die "debootstrap failed 3 times; its output is above"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/debootstrap
  log "importing $TRIXIE_MINBASE"
  tar --numeric-owner -C "$rootfs" -c . | docker import \
    --change 'LABEL org.slimstage.standin=true' \
    --change 'LABEL org.slimstage.standin.for=debian:trixie-slim' \
    --change 'LABEL org.slimstage.managed=base-image' \
    --change "LABEL $RECIPE_LABEL=$(recipe "$TRIXIE_MINBASE")" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' \
    - "$TRIXIE_MINBASE" >/dev/null
  cleanup; rootfs_parent=
  log "$TRIXIE_MINBASE built in $(elapsed "$start")"
fi
# Side by side, as the Go stand-ins: each mostly downloads and unpacks.
building=()
for pair in "$NODE:node" "$POSTGRES:postgres"; do
  (( compose == 1 )) || break
  ref=${pair%:*} recipe_file=scripts/base-images/${pair##*:}.Dockerfile
  wanted "$ref" || continue
  log "building $ref ($recipe_file)"
  (
    start=$SECONDS
    build_log=$(mktemp)
    trap 'rm -f "$build_log"' EXIT
    if docker build --network host --force-rm \
      --label org.slimstage.managed=base-image --label "$RECIPE_LABEL=$(recipe "$ref")" \
      -f "$recipe_file" -t "$ref" scripts/base-images >"$build_log" 2>&1; then
      log "$ref built in $(elapsed "$start")"
    else
      tail -30 "$build_log" >&2
      exit 1
    fi
  ) &
  building+=("$!")
done
for pid in "${building[@]}"; do
  wait "$pid" || die "a stand-in for the composition did not build; its log is above"
done

# --- old images replaced by --force ------------------------------------------------
# Removes an old, now untagged image. The classic builder keeps the steps of earlier
# stages as untagged child images (build cache), and an image with children cannot be
# removed: remove the untagged leaves below it first; `docker rmi` then also removes
# their untagged parents. An image that is still tagged or used by a container stays.
remove_old_image() {
  local id=$1 img parent
  while read -r img parent; do
    [[ $parent == "$id" ]] || continue
    if [[ -z $(docker image inspect --format '{{join .RepoTags ","}}' "$img" 2>/dev/null) ]]; then
      remove_old_image "$img"
    fi
  done < <(docker images -a -q --no-trunc --filter "since=$id" 2>/dev/null \
             | xargs -r docker image inspect --format '{{.Id}} {{.Parent}}' 2>/dev/null)
  docker image inspect "$id" >/dev/null 2>&1 || return 0   # already removed with a child
  docker rmi "$id" >/dev/null 2>&1 || log "kept old image ${id#sha256:} (an image or container still uses it)"
}
for id in "${old_ids[@]}"; do
  for name in "$MINBASE" "${GO_REFS[@]}" "$STATIC" "${COMPOSE_REFS[@]}"; do
    [[ $(image_id "$name") == "$id" ]] && continue 2   # rebuilt to the same image
  done
  remove_old_image "$id"
done

docker images \
  --filter label=org.slimstage.standin=true \
  --filter "reference=$MINBASE" --filter "reference=slimstage/golang:*-local" --filter "reference=$STATIC" \
  --filter "reference=$TRIXIE_MINBASE" --filter "reference=$NODE" --filter "reference=$POSTGRES" \
  --format 'table {{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}'
