#!/usr/bin/env bash
# Runs the commands of docs/operations.md that can run on one machine, on a
# throw-away 4-department loopback network, and checks their outcome:
#
#   1. a network from `datarightsd testnet` (node ids registered in genesis)
#   2. adding a department step by step: init its node, its CDO key, the
#      add-department proposal with its validator key and node key, the
#      votes, its node joining, its validator in the set
#   3. backup and restore of a stopped node's data directory, restart, the
#      same app hash as the others
#   4. a node joining by state sync (registered by add-node-id first)
#
#   scripts/ops-check.sh [--dir DIR] [--port P]   (default: a temp dir, port 29600)
#
# It stops exactly the processes it started (by pid), also on failure. Not
# part of scripts/test.sh: test/e2e covers the same ground faster; this
# script checks that the documented commands, as written, work.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir=""
port=29600
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift ;;
    --port) port=$2; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "ops-check: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[ -n "$dir" ] || dir=$(mktemp -d /tmp/datarights-ops-check-XXXXXX)
mkdir -p "$dir"
D="$dir/bin/datarightsd"
KR=(--keyring-backend test)
pids=()

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() { echo "ops-check: FAILED: $*" >&2; exit 1; }
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

rpc() { echo "http://127.0.0.1:$((port + 10 * $1 + 1))"; }   # node index -> RPC URL
height() { curl -sf "$1/status" | jq -r '.result.sync_info.latest_block_height // 0' 2>/dev/null || echo 0; }
wait_height() { # url height [seconds]
  local t=${3:-90}
  for _ in $(seq $((t * 5))); do [ "$(height "$1")" -ge "$2" ] && return 0; sleep 0.2; done
  fail "$1 did not reach height $2 in ${t}s"
}
app_hash_at() { # url height: the app hash after block height (in the header of height+1)
  wait_height "$1" $(($2 + 1))
  curl -sf "$1/block?height=$(($2 + 1))" | jq -r .result.block.header.app_hash
}
start_node() { # home log
  "$D" start --home "$1" >>"$2" 2>&1 &
  pids+=($!)
}

say "build datarightsd"
go build -o "$D" ./cmd/datarightsd

say "1. a 4-department network (testnet; fast blocks, a snapshot every 20 heights)"
cat >"$dir/manifest.toml" <<EOF
chain_id = "ops-check-1"
starting_port = $port
timeout_commit = "300ms"
snapshot_interval = 20
[[department]]
moniker = "bigdata"
name = "Big Data Centre"
org_body = "MB000001"
roles = ["data_admin"]
[[department]]
moniker = "economy"
name = "Economy Bureau"
org_body = "MB000002"
[[department]]
moniker = "health"
name = "Health Commission"
org_body = "MB000003"
[[department]]
moniker = "hr"
name = "HR Bureau"
org_body = "MB000004"
EOF
"$D" testnet --manifest "$dir/manifest.toml" --output-dir "$dir/net" -o json >"$dir/testnet.json"
monikers=(bigdata economy health hr)
for m in "${monikers[@]}"; do start_node "$dir/net/$m" "$dir/$m.log"; done
wait_height "$(rpc 0)" 3
grep -q 'filter_peers = true' "$dir/net/bigdata/config/config.toml" || fail "testnet config without filter_peers"
peers=$(jq -r '[.nodes[] | .node_id + "@" + .p2p] | join(",")' "$dir/testnet.json")

vote_all() { # proposal id, then node indexes whose departments vote yes
  local id=$1; shift
  for i in "$@"; do
    "$D" tx governance vote "$id" yes --from cdo --home "$dir/net/${monikers[$i]}" "${KR[@]}" --node "tcp://127.0.0.1:$((port + 10 * i + 1))" >/dev/null
  done
}
proposal_status() { "$D" query governance proposal "$1" --node "tcp://127.0.0.1:$((port + 1))" -o json | jq -r .proposal.status; }
join_config() { # home p2p-port rpc-port: loopback ports, the network's nodes as persistent peers
  sed -i -e "/^\[p2p\]/,/^\[/s|^laddr = .*|laddr = \"tcp://127.0.0.1:$2\"|" \
         -e "/^\[rpc\]/,/^\[/s|^laddr = .*|laddr = \"tcp://127.0.0.1:$3\"|" \
         -e "s|^persistent_peers = .*|persistent_peers = \"$peers\"|" \
         -e "s|^allow_duplicate_ip = .*|allow_duplicate_ip = true|" \
         -e "s|^addr_book_strict = .*|addr_book_strict = false|" \
         -e "s|^prometheus = .*|prometheus = false|" "$1/config/config.toml"
}

say "2. add a department by governance (docs/operations.md, Adding a department)"
new="$dir/newdept"
# On the new department's machine: its node, its key.
"$D" init newdept --chain-id ops-check-1 --home "$new" >/dev/null
cp "$dir/net/bigdata/config/genesis.json" "$new/config/genesis.json"
addr=$("$D" keys add cdo --home "$new" "${KR[@]}" -o json | jq -r .address)
join_config "$new" $((port + 40)) $((port + 41))
# It sends its address, priv_validator_key.json's public part and node_key.json's id to a department, which proposes:
"$D" tx governance propose add-department --address "$addr" --name "Data Resources Bureau" \
  --org-code 11511900MB0000051R \
  --validator-key "$new/config/priv_validator_key.json" --node-key "$new/config/node_key.json" --power 10 \
  --title "Admit the Data Resources Bureau" --from cdo --home "$dir/net/bigdata" "${KR[@]}" --node "$(rpc 0 | sed 's|http|tcp|')" -o json >"$dir/p1.json" ||
  { cat "$dir/p1.json"; fail "add-department proposal refused"; }
p1=$(jq -r '.ids[0]' "$dir/p1.json")
vote_all "$p1" 0 1 2
[ "$(proposal_status "$p1")" = PROPOSAL_STATUS_EXECUTED ] || fail "proposal $p1 not executed"
start_node "$new" "$dir/newdept.log"
wait_height "http://127.0.0.1:$((port + 41))" "$(height "$(rpc 0)")" 120
n=$("$D" query governance departments --node "tcp://127.0.0.1:$((port + 1))" -o json | jq '.departments | length')
[ "$n" = 5 ] || fail "$n departments after the proposal, want 5"
power=$(curl -sf "http://127.0.0.1:$((port + 41))/status" | jq -r .result.validator_info.voting_power)
for _ in $(seq 50); do [ "$power" = 10 ] && break; sleep 0.3; power=$(curl -sf "http://127.0.0.1:$((port + 41))/status" | jq -r .result.validator_info.voting_power); done
[ "$power" = 10 ] || fail "the new department's validator has power $power"
echo "department $addr joined; its validator has power 10"

say "3. backup and restore of a stopped node (hr)"
hr="$dir/net/hr"
kill "${pids[3]}"; wait "${pids[3]}" 2>/dev/null || true
stopped_at=$(jq -r .height "$hr/data/priv_validator_state.json")
tar -C "$hr" -czf "$dir/hr-backup.tgz" data
rm -rf "$hr/data"
tar -C "$hr" -xzf "$dir/hr-backup.tgz"
start_node "$hr" "$dir/hr.log"
target=$(( $(height "$(rpc 0)") + 3 ))
wait_height "$(rpc 3)" "$target" 120
[ "$(app_hash_at "$(rpc 3)" "$target")" = "$(app_hash_at "$(rpc 0)" "$target")" ] || fail "restored node disagrees at height $target"
echo "hr stopped at $stopped_at, restored from the backup, agrees with bigdata at $target"

say "4. a node joins by state sync"
ss="$dir/auditor"
"$D" init auditor --chain-id ops-check-1 --home "$ss" >/dev/null
cp "$dir/net/bigdata/config/genesis.json" "$ss/config/genesis.json"
join_config "$ss" $((port + 50)) $((port + 51))
"$D" tx governance propose add-node-id "$(jq -r '.nodes[0].cdo_address' "$dir/testnet.json")" --node-key "$ss/config/node_key.json" \
  --title "The audit replica" --from cdo --home "$dir/net/bigdata" "${KR[@]}" --node "tcp://127.0.0.1:$((port + 1))" -o json >"$dir/p2.json"
p2=$(jq -r '.ids[0]' "$dir/p2.json")
vote_all "$p2" 0 1 2 3
[ "$(proposal_status "$p2")" = PROPOSAL_STATUS_EXECUTED ] || fail "proposal $p2 not executed"
wait_height "$(rpc 0)" 45 120   # past two snapshots
trust=$(( $(height "$(rpc 0)") - 2 ))
trust_hash=$(curl -sf "$(rpc 0)/commit?height=$trust" | jq -r .result.signed_header.commit.block_id.hash)
sed -i -e "/^\[statesync\]/,/^\[/{s|^enable = .*|enable = true|;s|^rpc_servers = .*|rpc_servers = \"$(rpc 0 | sed 's|http|tcp|'),$(rpc 1 | sed 's|http|tcp|')\"|;s|^trust_height = .*|trust_height = $trust|;s|^trust_hash = .*|trust_hash = \"$trust_hash\"|;s|^discovery_time = .*|discovery_time = \"5s\"|}" "$ss/config/config.toml"
start_node "$ss" "$dir/auditor.log"
wait_height "http://127.0.0.1:$((port + 51))" "$trust" 120
earliest=$(curl -sf "http://127.0.0.1:$((port + 51))/status" | jq -r .result.sync_info.earliest_block_height)
[ "$earliest" -gt 1 ] || fail "the auditor replayed from height $earliest: no state sync"
grep -q "snapshot restored" "$dir/auditor.log" || fail "no snapshot restored in the auditor's log"
h=$(( $(height "http://127.0.0.1:$((port + 51))") ))
wait_height "$(rpc 0)" $((h + 1))
[ "$(app_hash_at "http://127.0.0.1:$((port + 51))" "$h")" = "$(app_hash_at "$(rpc 0)" "$h")" ] || fail "state-synced node disagrees at $h"
echo "auditor restored a snapshot (blocks from $earliest) and agrees with bigdata at $h"

say "ops-check passed ($dir)"
