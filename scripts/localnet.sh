#!/usr/bin/env bash
# A 4-department datarights network on this machine (loopback, embedded
# storage), from networks/local/manifest.toml.
#
#   scripts/localnet.sh [start] [--dir DIR]   build, create (first time), start, exercise
#   scripts/localnet.sh stop   [--dir DIR]    stop exactly the nodes this script started
#   scripts/localnet.sh status [--dir DIR]    heights and app hashes of the nodes
#   scripts/localnet.sh reset  [--dir DIR]    stop and delete the network
#
# The network lives in .localnet/ of the checkout (git-ignored) unless --dir
# says otherwise. Keys are in the UNENCRYPTED test keyring: local use only.
#
# start --psql CONN makes the auditor department's node (economy) an
# auditor's SQL node: CometBFT's PostgreSQL event sink writes every block's
# events to the database CONN names (postgresql://...), whose schema
# networks/auditor/schema.sql installs (see docs/auditor-sql.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

cmd=start
dir="$root/.localnet"
psql=""
while [ $# -gt 0 ]; do
  case "$1" in
    start|stop|status|reset) cmd=$1 ;;
    --dir) dir=$2; shift ;;
    --dir=*) dir=${1#--dir=} ;;
    --psql) psql=$2; shift ;;
    --psql=*) psql=${1#--psql=} ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "localnet: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
bin="$dir/bin/datarightsd"
manifest="$root/networks/local/manifest.toml"
monikers=$(sed -n 's/^moniker = "\(.*\)"/\1/p' "$manifest")
first=${monikers%%$'\n'*}  # no pipe: head -1 can SIGPIPE echo under pipefail

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

rpc_of() { # moniker -> rpc address, from the node's own config
  sed -n '/^\[rpc\]/,/^\[/s/^laddr = "\(.*\)"/\1/p' "$dir/$1/config/config.toml"
}

# running: the pid file names a live (not zombie) process that is this
# network's node for that home, so a stale pid reused by another process is
# never signalled.
running() {
  [ -f "$dir/$1.pid" ] || return 1
  local pid; pid=$(cat "$dir/$1.pid")
  [ -r "/proc/$pid/cmdline" ] || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--home $dir/$1"
}

stop() {
  for m in $monikers; do
    if running "$m"; then
      pid=$(cat "$dir/$m.pid")
      kill "$pid" && for _ in $(seq 50); do running "$m" || break; sleep 0.2; done
      running "$m" && kill -9 "$pid"
      echo "stopped $m (pid $pid)"
    fi
    rm -f "$dir/$m.pid"
  done
}

height() { # rpc -> latest height (0 if unreachable)
  curl -sf "http://${1#tcp://}/status" 2>/dev/null | sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p' || echo 0
}

status() {
  printf '%-10s %-24s %-8s %s\n' NODE RPC HEIGHT APP_HASH
  for m in $monikers; do
    r=$(rpc_of "$m")
    st=$(curl -sf "http://${r#tcp://}/status" 2>/dev/null || true)
    h=$(echo "$st" | sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p')
    a=$(echo "$st" | sed -n 's/.*"latest_app_hash":"\([0-9A-F]*\)".*/\1/p')
    printf '%-10s %-24s %-8s %s\n' "$m" "$r" "${h:-down}" "${a:--}"
  done
}

case "$cmd" in
  stop) stop; exit 0 ;;
  status) status; exit 0 ;;
  reset) stop; rm -rf "$dir"; echo "removed $dir"; exit 0 ;;
esac

say "building datarightsd"
mkdir -p "$dir/bin"
go build -o "$bin" ./cmd/datarightsd

fresh=0
if [ ! -d "$dir/$first" ]; then
  say "creating 4 department homes in $dir"
  "$bin" testnet --manifest "$manifest" --output-dir "$dir"
  fresh=1
fi
if [ -n "$psql" ]; then
  auditor=$(echo "$monikers" | sed -n 2p)
  say "$auditor indexes events into PostgreSQL"
  sed -i "/^\[tx_index\]/,/^\[/{s|^indexer = .*|indexer = \"psql\"|;s|^psql-conn = .*|psql-conn = \"$psql\"|}" \
    "$dir/$auditor/config/config.toml"
fi

for m in $monikers; do
  if running "$m"; then echo "$m already running (pid $(cat "$dir/$m.pid"))"; continue; fi
  r=$(rpc_of "$m")
  if curl -sf "http://${r#tcp://}/status" >/dev/null 2>&1; then
    echo "localnet: something else already serves $r; stop it first" >&2; exit 1
  fi
  nohup "$bin" start --home "$dir/$m" >>"$dir/$m.log" 2>&1 &
  echo $! >"$dir/$m.pid"
  echo "started $m (pid $!, log $dir/$m.log)"
done

say "waiting for blocks"
rpc1=$(rpc_of "$first")
for i in $(seq 120); do
  h=$(height "$rpc1")
  [ "${h:-0}" -ge 2 ] && break
  [ "$i" = 120 ] && { echo "localnet: no blocks after 60 s; see $dir/*.log" >&2; exit 1; }
  sleep 0.5
done
echo "height $(height "$rpc1")"

D() { "$bin" "$@" --keyring-backend test; }
if [ $fresh = 1 ]; then
  say "registering sample parties (signed txs from the Big Data Centre's CDO key)"
  keys="$dir/keys"
  D keys add tourism-data --home "$keys" >/dev/null
  D keys add central-hospital --home "$keys" >/dev/null
  D keys add citizen-zhang --home "$keys" >/dev/null
  addr() { D keys show "$1" --address --home "$keys"; }
  D tx identity register-party "$(addr tourism-data)" --kind enterprise \
    --name "Bazhong Cultural Tourism Data Co., Ltd. (巴中文旅数据有限公司)" --org-code 91511900MA0000074T \
    --from cdo --home "$dir/$first" --node "$rpc1"
  D tx identity register-party "$(addr central-hospital)" --kind institution \
    --name "Bazhong Central Hospital (巴中市中心医院)" --org-code 12511900MB0000107R \
    --from cdo --home "$dir/$first" --node "$rpc1"
  D tx identity register-party "$(addr citizen-zhang)" --kind individual --name "Zhang San" \
    --from cdo --home "$dir/$first" --node "$rpc1"

  say "registering a small catalogue (数据资源登记) and granting rights (三权分置)"
  h() { printf '%s' "$1" | sha256sum | cut -c1-64; }
  # first id of a tx's JSON result ("ids":["a-1"])
  id_of() { sed -n 's/.*"ids":\["\([^"]*\)".*/\1/p'; }
  health_home="$dir/$(echo "$monikers" | tail -1)"
  population=$(D tx registry register --kind dataset --catalogue-code BZ-DSJ-0001 \
    --name "Population by township (分乡镇人口统计)" --source-department "$(D keys show cdo --address --home "$dir/$first")" \
    --standard GB/T-2260 --classification public --grade general --open-level conditional \
    --content-hash "$(h population-2026)" --from cdo --home "$dir/$first" --node "$rpc1" -o json | id_of)
  D tx registry register --kind dataset --catalogue-code BZ-WJW-0001 \
    --name "Outpatient visits by clinic (门诊量统计)" --source-department "$(D keys show cdo --address --home "$health_home")" \
    --standard WS-363 --classification public --grade important --open-level not_open \
    --content-hash "$(h outpatient-2026)" --from cdo --home "$health_home" --node "$rpc1" >/dev/null
  D tx registry register --kind dataset --catalogue-code BZ-WL-0001 \
    --name "Scenic-spot visitor flows (景区客流)" --classification enterprise --grade general \
    --content-hash "$(h visitor-flows-2026)" --from tourism-data --home "$keys" --node "$rpc1" >/dev/null
  holding=$(D query registry asset "$population" --node "$rpc1" -o json | sed -n 's/.*"holding_right_id":"\([^"]*\)".*/\1/p')
  grant=$(D tx rights grant "$holding" --to "$(addr tourism-data)" --kind use --operations query,compute \
    --purposes "tourism planning" --duration 720h --from cdo --home "$dir/$first" --node "$rpc1" -o json | id_of)
  D tx rights record-usage "$grant" --purpose "tourism planning" --operation compute \
    --result-hash "$(h first-report)" --from tourism-data --home "$keys" --node "$rpc1" >/dev/null
  D query registry assets --node "$rpc1"
  echo
  D query rights list --asset "$population" --node "$rpc1"

  say "governance (治理): the departments make the tourism company an operator (3 of 4 vote yes)"
  proposal=$(D tx governance propose grant-role "$(addr tourism-data)" --role operator \
    --title "Tourism data company operates public data" --from cdo --home "$dir/$first" --node "$rpc1" -o json | id_of)
  for m in $(echo "$monikers" | sed -n '1,3p'); do
    D tx governance vote "$proposal" yes --from cdo --home "$dir/$m" --node "$rpc1" >/dev/null
  done
  D query governance proposal "$proposal" --node "$rpc1" | sed -n '/^status/p;/^tally/p'

  say "authorised operation (授权运营): the operator applies for the population data; the Big Data Centre approves"
  auth=$(D tx authorization apply --authoriser "$(D keys show cdo --address --home "$dir/$first")" --assets "$population" \
    --operations query,compute,derive --terms-hash "$(h operation-terms)" --term 8760h \
    --operator-share-bps 6000 --public-share-bps 2000 --from tourism-data --home "$keys" --node "$rpc1" -o json | id_of)
  D tx authorization approve "$auth" --from cdo --home "$dir/$first" --node "$rpc1" >/dev/null
  D query authorization show "$auth" --node "$rpc1"

  say "a data product (数据产品): the operator derives visitor forecasts from the population data (under the authorisation) and its own visitor flows"
  product=$(D tx registry register --kind data_product --catalogue-code BZ-WL-P001 \
    --name "Visitor forecasts by township (分乡镇客流预测)" --classification enterprise --grade general \
    --content-hash "$(h visitor-forecasts-2026)" --inputs "$population:4000,a-3:6000" \
    --from tourism-data --home "$keys" --node "$rpc1" -o json | id_of)

  say "trading (交易结算): the hospital buys two licences of the visitor-flow data once it is certified"
  flows=a-3
  for i in $(seq 60); do
    D query registry asset "$flows" --node "$rpc1" -o json | grep -q '"status":"ASSET_STATUS_CERTIFIED"' && break
    sleep 0.5
  done
  D tx market deposit --to "$(addr central-hospital)" --amount 500000 --bank-ref LOCALNET-0001 \
    --from cdo --home "$dir/$first" --node "$rpc1" >/dev/null
  flows_right=$(D query registry asset "$flows" --node "$rpc1" -o json | sed -n 's/.*"holding_right_id":"\([^"]*\)".*/\1/p')
  listing=$(D tx market list "$flows_right" --kind license --price 12345 --quantity 3 --expires 72h \
    --operations query --license-seconds 86400 --from tourism-data --home "$keys" --node "$rpc1" -o json | id_of)
  trade=$(D tx market buy "$listing" --quantity 2 --max-price 12345 --from central-hospital --home "$keys" --node "$rpc1" -o json | id_of)
  D query revenue distributions --trade "$trade" --node "$rpc1"

  say "the product's first licence: the public levy and the authorisation's terms go to the public service fund (反哺公共服务)"
  for i in $(seq 60); do
    D query registry asset "$product" --node "$rpc1" -o json | grep -q '"status":"ASSET_STATUS_CERTIFIED"' && break
    sleep 0.5
  done
  product_right=$(D query registry asset "$product" --node "$rpc1" -o json | sed -n 's/.*"holding_right_id":"\([^"]*\)".*/\1/p')
  listing=$(D tx market list "$product_right" --kind license --price 20000 --quantity 5 --expires 72h \
    --operations query --license-seconds 86400 --from tourism-data --home "$keys" --node "$rpc1" -o json | id_of)
  trade=$(D tx market buy "$listing" --quantity 1 --max-price 20000 --from central-hospital --home "$keys" --node "$rpc1" -o json | id_of)
  D query revenue distributions --trade "$trade" --node "$rpc1"
  D query revenue fund --node "$rpc1"
  D query market supply --node "$rpc1"
fi

say "the network"
status
last=$(echo "$monikers" | tail -1)
cat <<MSG

Parties:   $bin query identity parties --node $rpc1
Assets:    $bin query registry assets --node $rpc1   (certified $(grep -o '"[0-9]*s"' "$manifest" | tr -d '"') after registration)
Rights:    $bin query rights list --holder ADDRESS --node $rpc1
Proposals: $bin query governance proposals --node $rpc1
Operation: $bin query authorization list --node $rpc1
Market:    $bin query market listings --node $rpc1; $bin query market balance ADDRESS --node $rpc1
Proven:    $bin query identity party ADDRESS --prove --node $(rpc_of "$last")
Keys:      departments' CDO keys: --home $dir/<node> --keyring-backend test --from cdo
           sample parties' keys:  --home $dir/keys --keyring-backend test
Logs:      $dir/<node>.log
Status:    scripts/localnet.sh status$( [ "$dir" = "$root/.localnet" ] || echo " --dir $dir")
Stop:      scripts/localnet.sh stop$( [ "$dir" = "$root/.localnet" ] || echo " --dir $dir")
MSG
