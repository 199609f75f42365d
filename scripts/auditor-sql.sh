#!/usr/bin/env bash
# The auditor's SQL node (审计 SQL 节点), end to end on this machine:
#
#   1. starts a PostgreSQL server on loopback in a scratch directory
#      (installing Debian's postgresql package first if it is absent);
#   2. installs networks/auditor/schema.sql;
#   3. starts the local network (scripts/localnet.sh start --psql) with the
#      auditor department's node writing every block's events to it, and
#      runs the localnet scenario;
#   4. runs each documented query of networks/auditor/queries/ and checks
#      its answer against the `datarightsd query` CLI's.
#
#   scripts/auditor-sql.sh [--dir DIR] [--keep]
#
# --dir puts the scratch directory (database and network) there; --keep
# leaves both running for a look around (psql prints how to connect).
# Exits non-zero on any mismatch. See docs/auditor-sql.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

work="" keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) work=$2; shift ;;
    --keep) keep=1 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "auditor-sql: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$work" ] || work=$(mktemp -d -t datarights-sql.XXXXXX)
mkdir -p "$work"
work=$(cd "$work" && pwd)
chmod 755 "$work"
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$work"; then
  echo "auditor-sql: the postgres user cannot enter $work (a parent directory is private); use a --dir it can reach" >&2
  exit 2
fi
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { echo "auditor-sql: FAILED: $*" >&2; exit 1; }

# PostgreSQL: Debian's server binaries, run as the postgres user when we
# are root (the server refuses to run as root).
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$pgbin" ] || [ ! -x "$pgbin/postgres" ]; then
  say "installing PostgreSQL (Debian's postgresql)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi
# (from a directory the postgres user may enter)
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

port=""
for p in $(seq 25432 25531); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || fail "no free loopback port for PostgreSQL in 25432-25531"

pg="$work/pg"
mkdir -p "$pg"
[ "$(id -u)" = 0 ] && chown postgres "$pg"
cleanup() {
  [ $keep = 1 ] && return
  scripts/localnet.sh stop --dir "$work/net" >/dev/null 2>&1 || true
  as_pg "$pgbin/pg_ctl" -D "$pg/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

say "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($pg)"
as_pg "$pgbin/initdb" -D "$pg/data" -A trust -U datarights -E UTF8 --no-locale >"$pg/initdb.log" 2>&1 ||
  { cat "$pg/initdb.log"; fail "initdb"; }
as_pg "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w \
  -o "-p $port -k $pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null ||
  { cat "$pg/server.log"; fail "PostgreSQL did not start"; }
"$pgbin/createdb" -h 127.0.0.1 -p "$port" -U datarights datarights
conn="postgresql://datarights@127.0.0.1:$port/datarights?sslmode=disable"
sql() { "$pgbin/psql" "$conn" -v ON_ERROR_STOP=1 -X -q "$@"; }
sql -f networks/auditor/schema.sql

say "the local network, its auditor node writing to PostgreSQL"
scripts/localnet.sh start --dir "$work/net" --psql "$conn"
bin="$work/net/bin/datarightsd"
rpc=$(sed -n '/^\[rpc\]/,/^\[/s/^laddr = "\(.*\)"/\1/p' "$work/net/bigdata/config/config.toml")

# Wait until the auditor node has written the block the scenario ended at.
h=$(curl -sf "http://${rpc#tcp://}/status" | sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p')
for i in $(seq 120); do
  got=$(sql -At -c "SELECT coalesce(max(height), 0) FROM blocks")
  [ "$got" -ge "$h" ] && break
  [ "$i" = 120 ] && fail "the auditor node indexed up to height $got, the chain is at $h"
  sleep 0.5
done
echo "indexed through height $got: $(sql -At -c "SELECT count(*) FROM events") events, $(sql -At -c "SELECT count(*) FROM tx_results") txs"

Q() { "$bin" query "$@" --node "$rpc" -o json; }
ids() { python3 -c 'import json,sys; d=json.load(sys.stdin); print("\n".join(sorted(x["id"] for x in d.get(sys.argv[1], []) if x.get("kind") != "RIGHT_KIND_HOLDING")))' "$1"; }
same() { # what, sql answer, cli answer
  if [ "$2" != "$3" ]; then fail "$1: SQL says [$(echo $2)], the CLI says [$(echo $3)]"; fi
  echo "ok: $1 — SQL and CLI agree: $(echo $2)"
}
query() { # file, psql variables...
  local f="networks/auditor/queries/$1"; shift
  say "$f"
  sql "$@" -f "$f"
}
column() { # file, column number, psql variables...
  local f="networks/auditor/queries/$1" c=$2; shift 2
  sql -At -F '|' "$@" -f "$f" | cut -d'|' -f"$c" | sort
}

for asset in a-1 a-3; do
  query rights-on-asset.sql -v asset="$asset"
  same "rights granted on $asset" "$(column rights-on-asset.sql 4 -v asset="$asset")" "$(Q rights list --asset "$asset" | ids rights)"
done

hospital=$("$bin" keys show central-hospital --address --home "$work/net/keys" --keyring-backend test)
tourism=$("$bin" keys show tourism-data --address --home "$work/net/keys" --keyring-backend test)
query trades-of-party.sql -v party="$hospital"
same "trades of the hospital (buyer)" "$(column trades-of-party.sql 4 -v party="$hospital")" "$(Q market trades --buyer "$hospital" | ids trades)"
same "trades of the tourism company (seller)" "$(column trades-of-party.sql 4 -v party="$tourism")" "$(Q market trades --seller "$tourism" | ids trades)"

query fund-by-month.sql
sqltotal=$(sql -At -c "SELECT coalesce(sum(amount_fen), 0) FROM ($(cat networks/auditor/queries/fund-by-month.sql | sed '/^--/d;s/;$//')) m")
clitotal=$(Q revenue fund | python3 -c 'import json,sys; print(int(json.load(sys.stdin).get("total_fen", 0)))')
[ "$clitotal" -gt 0 ] || fail "the public service fund received nothing: the scenario no longer sells public-derived data"
same "public service fund total (fen)" "$sqltotal" "$clitotal"

say "all SQL answers agree with the ledger"
if [ $keep = 1 ]; then
  echo "kept: psql \"$conn\"; scripts/localnet.sh stop --dir $work/net; $pgbin/pg_ctl -D $pg/data stop"
fi
