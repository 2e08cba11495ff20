#!/usr/bin/env bash
# The test command (README). Store tests run on SQLite and on PostgreSQL.
# PostgreSQL: HUB_TEST_PG_URL names a server where the user may CREATE DATABASE (one fresh
# database per test). When it is not set, a throw-away cluster is started under target/pgtest
# from the machine's PostgreSQL binaries (Debian: apt-get install postgresql).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${HUB_TEST_PG_URL:-}" ]; then
  BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    echo "PostgreSQL is needed for the store tests: install it (apt-get install postgresql) or set HUB_TEST_PG_URL" >&2
    exit 1
  fi
  DIR=$(pwd)/target/pgtest
  PORT=${HUB_TEST_PG_PORT:-55432}
  AS=()
  if [ "$(id -u)" = 0 ]; then AS=(runuser -u postgres --); fi
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    "${AS[@]}" "$BIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  fi
  export HUB_TEST_PG_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
  echo "using throw-away PostgreSQL at $HUB_TEST_PG_URL (stop: $BIN/pg_ctl -D $DIR/data stop)"
fi

cargo test --locked --all-targets -- --test-threads=2
