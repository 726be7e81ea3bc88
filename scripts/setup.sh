#!/usr/bin/env bash
# Everything the app needs, idempotent: npm packages (with better-sqlite3 compiled),
# the Prisma client, the database migrated, a Docker Engine, the base profile chosen
# (.slimstage/base-profile) with the offline stand-ins when it is `offline`, and the
# production build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
(( node_major >= 20 )) || die "Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none))"

# npm ci takes minutes (better-sqlite3 compiles from source): skip it when the
# installed packages already match the lockfile.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f node_modules/.slimstage-lock ]] || [[ $(cat node_modules/.slimstage-lock) != "$lock_hash" ]]; then
  log "installing npm packages"
  retry 3 npm ci --no-audit --no-fund
  node -e 'require("better-sqlite3")(":memory:").close()' || die "better-sqlite3 did not build; see the npm output above"
  echo "$lock_hash" >node_modules/.slimstage-lock
fi

log "generating the Prisma clients and migrating the database"
# Both clients, whichever database this machine uses: lib/db.ts imports both.
npx prisma generate --schema prisma/schema.prisma >/dev/null
npx prisma generate --schema prisma/postgresql/schema.prisma >/dev/null
if [[ ${DATABASE_URL:-} =~ ^postgres(ql)?:// ]]; then
  # prisma migrate deploy is broken for PostgreSQL here (prisma/orm#27403): lib/db/migrate.ts.
  npx tsx scripts/db-migrate.ts
else
  mkdir -p data
  npx prisma migrate deploy >/dev/null
fi

bash scripts/engine.sh
# Base images: SLIMSTAGE_BASE_PROFILE, or else asked of the engine (official when it can
# pull the official images; the local stand-ins when it cannot; a stop with the two ways
# out when neither works here). Written down for scripts/up.sh to start the app with.
profile=$(bash scripts/choose-profile.sh)
echo "$profile" >.slimstage/base-profile
if [[ $profile == offline ]]; then
  bash scripts/base-images.sh
fi

if [[ ${SLIMSTAGE_SKIP_BUILD:-0} != 1 ]]; then
  log "building the app"
  npx next build >.slimstage/next-build.log 2>&1 || { tail -40 .slimstage/next-build.log >&2; die "next build failed; its log is above"; }
fi
log "setup done"
