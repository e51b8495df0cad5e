#!/usr/bin/env bash
# Make sure a PostgreSQL server is there for the store tests, and print its URL.
#   scripts/test-postgres.sh start DIR   use the server at AGENT_ASSIST_TEST_PG_URL (default
#                                        127.0.0.1:5432, database test) or start a private one in DIR
#   scripts/test-postgres.sh stop DIR    stop the private server, if one was started
set -euo pipefail
cd "$(dirname "$0")/.."
action=$1 dir=$2
url=${AGENT_ASSIST_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
port=55432
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

reachable() {
    .venv/bin/python - "$1" <<'PY'
import sys, psycopg
from sqlalchemy.engine import make_url
u = make_url(sys.argv[1]).set(drivername="postgresql")
try:
    psycopg.connect(u.render_as_string(hide_password=False), connect_timeout=3).close()
except psycopg.Error:
    sys.exit(1)
PY
}

if [ "$action" = stop ]; then
    if [ -f "$dir/pg/postmaster.pid" ]; then
        bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
        as_postgres "$bindir/pg_ctl" -D "$dir/pg" -m fast stop >/dev/null || true
    fi
    exit 0
fi

if reachable "$url"; then
    echo "$url"
    exit 0
fi
echo "no PostgreSQL server at $url; starting a private one on port $port" >&2
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
mkdir -p "$dir/pg" "$dir/sock"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$dir"
as_postgres "$bindir/initdb" -D "$dir/pg" -U postgres --auth=trust -E UTF8 >/dev/null
as_postgres "$bindir/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w \
    -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
as_postgres "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres test
echo "postgresql+psycopg://postgres@127.0.0.1:$port/test"
