#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: a temp folder, a loopback port, trust auth.
#   eval "$(scripts/test-postgres.sh start)"   # exports KENNISBANK_TEST_DATABASE_URL
#   scripts/test-postgres.sh stop
# As root it installs Debian's postgresql when missing and runs the server as the
# `postgres` user (initdb refuses root). Progress goes to stderr; stdout is the export.
set -euo pipefail

PGROOT=${KENNISBANK_TEST_PGDIR:-/tmp/kennisbank-test-postgres}
PGPORT=${KENNISBANK_TEST_PGPORT:-55432}
DATABASE=kennisbank_test

pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$found" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing postgresql ..." >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  [ -n "$found" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
  echo "$found"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    bin=$(pg_bin)
    "$0" stop >/dev/null 2>&1 || true
    mkdir -p "$PGROOT"
    [ "$(id -u)" -eq 0 ] && chown postgres "$PGROOT"
    as_owner "$bin/initdb" -D "$PGROOT/data" -U postgres -A trust --no-sync >/dev/null
    as_owner "$bin/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w start \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGROOT -c fsync=off" >/dev/null
    as_owner "$bin/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$DATABASE"
    echo "PostgreSQL test server on 127.0.0.1:$PGPORT ($PGROOT)" >&2
    echo "export KENNISBANK_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$PGPORT/$DATABASE"
    ;;
  stop)
    if [ -d "$PGROOT/data" ]; then
      as_owner "$(pg_bin)/pg_ctl" -D "$PGROOT/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$PGROOT"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
