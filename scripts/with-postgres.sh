#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL: initdb in a temporary folder, a free port on
# 127.0.0.1, DATABASE_URL exported for the command, and the server stopped and removed afterwards.
# initdb and postgres refuse to run as root, so as root the server runs as the user `nobody`.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL is not installed (scripts/system-packages.sh installs it)" >&2; exit 1; }

workdir=$(mktemp -d /tmp/lokalkompas-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

as_db_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

cleanup() {
  as_db_user "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] && chown nobody "$workdir"
as_db_user "$bindir/initdb" -D "$workdir/data" -U lokalkompas --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
  || { cat "$workdir/initdb.log" >&2; exit 1; }
as_db_user "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
  || { cat "$workdir/server.log" >&2; exit 1; }
as_db_user "$bindir/createdb" -h 127.0.0.1 -p "$port" -U lokalkompas lokalkompas

echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
DATABASE_URL="postgres://lokalkompas@127.0.0.1:$port/lokalkompas" "$@"
