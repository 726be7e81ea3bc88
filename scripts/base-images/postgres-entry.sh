#!/bin/sh
# Entry point of the PostgreSQL stand-in (postgres.Dockerfile): on the first start, an
# empty $PGDATA is initialised with the official image's variables (POSTGRES_USER,
# default postgres; POSTGRES_PASSWORD, required; POSTGRES_DB, default the user), and the
# server listens on all interfaces with password authentication, as the official one does.
set -eu
if [ "${1:-}" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" -A scram-sha-256 --auth-local=trust >/dev/null
  rm -f "$pwfile"
  printf '%s\n' "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    # A server on a private socket only, for the one statement.
    pg_ctl -D "$PGDATA" -w -s -o "-c listen_addresses='' -k /tmp" start
    psql -h /tmp -U "$user" -d postgres -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE \"$db\" OWNER \"$user\""
    pg_ctl -D "$PGDATA" -w -s stop
  fi
  echo "postgres-entry: initialised $PGDATA (user $user, database $db)"
fi
if [ "${1:-}" = postgres ]; then
  shift
  exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$@"
