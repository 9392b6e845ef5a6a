#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the registry tests and prints a Npgsql connection string
# on its last line. Unix socket only (listen_addresses=''), trust auth, fsync off: for tests, never data.
# A second call in the same boot reuses the running cluster (state in $ANVIL_TEST_POSTGRES_STATE).
set -euo pipefail

state="${ANVIL_TEST_POSTGRES_STATE:-/tmp/anvil-test-postgres}"

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "PostgreSQL is not installed: sudo apt-get install -y postgresql" >&2
  exit 1
fi

# As root, the server runs as the postgres OS user (PostgreSQL refuses to run as root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
owner="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then owner=postgres; fi

connection_string() {
  echo "Host=$state/socket;Port=$(cat "$state/port");Username=$owner;Database=postgres;Pooling=true"
}

if [ -f "$state/port" ] && as_owner "$bin/pg_ctl" -D "$state/data" status >/dev/null 2>&1; then
  connection_string
  exit 0
fi

# Not running (first call, or a reboot emptied /tmp partly): start over.
if [ -d "$state/data" ]; then
  as_owner "$bin/pg_ctl" -D "$state/data" -m immediate stop >/dev/null 2>&1 || true
fi
rm -rf "$state"
mkdir -p "$state/socket"
chmod 755 "$state"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$state"; fi

# A random port number only names the socket file (no TCP), so clusters of different users never clash.
port=$(( 20000 + RANDOM % 20000 ))
while [ -e "$state/socket/.s.PGSQL.$port" ]; do port=$(( 20000 + RANDOM % 20000 )); done

as_owner "$bin/initdb" -D "$state/data" --auth=trust --encoding=UTF8 --locale=C.UTF-8 -U "$owner" >"$state/initdb.log" 2>&1 \
  || { cat "$state/initdb.log" >&2; exit 1; }
as_owner "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w -t 60 start -o \
  "-c listen_addresses='' -c unix_socket_directories='$state/socket' -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  >/dev/null || { cat "$state/server.log" >&2; exit 1; }
echo "$port" >"$state/port"
connection_string
