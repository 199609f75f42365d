#!/usr/bin/env bash
# Benchmark: CometBFT v0.40's kvstore (the engine's ceiling, built from this
# module's go.mod) against datarights, single validator and 4 validators on
# loopback, same consensus config and tx size. Progress on stderr; a table
# at the end; results JSON and chart in docs/bench/ (or --out DIR).
#
#   scripts/bench.sh [--quick] [--json FILE] [--out DIR] [--duration D]
#   scripts/bench.sh --memory D [--rate R]
#
# --quick: short runs (under 8 minutes in all); full: about 15 minutes.
# --memory: one run of the usage workload on one validator for D at R tx/s
# (default 2000), for the node's memory over time (memory.json in DIR).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0 json="" out="docs/bench" duration="" timeout_commit="1s" memory="" rate=2000
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1 ;;
	--json) json="$2"; shift ;;
	--out) out="$2"; shift ;;
	--duration) duration="$2"; shift ;;
	--timeout-commit) timeout_commit="$2"; shift ;;
	--memory) memory="$2"; shift ;;
	--rate) rate="$2"; shift ;;
	*) echo "usage: $0 [--quick] [--json FILE] [--out DIR] [--duration D] [--timeout-commit D] | --memory D [--rate R]" >&2; exit 2 ;;
	esac
	shift
done
# 4 validators on 2 cores commit a full block every 6-9 s: the quick mode
# gives them 30 s, so that a run's figure spans more than two blocks. A
# flat-out run pre-signs duration x maxrate txs: at 6,000 one validator
# sent them all before the 15 s were up (2026-12-08).
if [ "$quick" = 1 ]; then
	duration1="${duration:-15s}"; duration4="${duration:-30s}"; parties=200; maxrate=9000; drain=20s
else
	duration1="${duration:-60s}"; duration4="$duration1"; parties=400; maxrate=8000; drain=30s
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "building datarightsd and cometbft (kvstore) ..." >&2
go build -o "$work/datarightsd" ./cmd/datarightsd
go build -o "$work/cometbft" github.com/cometbft/cometbft/cmd/cometbft
mkdir -p "$out"
if [ -n "$memory" ]; then
	echo "== bench --workload usage --validators 1 --rate $rate --duration $memory  (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
	"$work/datarightsd" bench --workload usage --validators 1 --rate "$rate" --duration "$memory" --max-rate "$rate" \
		--parties 400 --drain 30s --timeout-commit "$timeout_commit" >"$out/memory.jsonl"
	machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
	"$work/datarightsd" bench report --in "$out/memory.jsonl" --json "$out/memory.json" --machine "$machine" \
		--command "scripts/bench.sh --memory $memory --rate $rate"
	rm -f "$out/memory.jsonl"
	exit 0
fi
results="$out/results.jsonl"
: >"$results"

field() { sed -n "s/.*\"$1\":\([0-9.e+-]*\).*/\1/p" | tail -1; }
run() {
	echo "== bench $*  (load: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
	# A failed run is reported and skipped: the others still count.
	"$work/datarightsd" bench --duration "$dur" --max-rate "$maxrate" --parties "$parties" --drain "$drain" \
		--timeout-commit "$timeout_commit" --cometbft "$work/cometbft" "$@" | tee -a "$results" ||
		echo "bench.sh: run failed: $*" >&2
}

for v in 1 4; do
	dur="$duration1"; [ "$v" = 4 ] && dur="$duration4"
	usage=$(run --workload usage --validators "$v")
	size=$(echo "$usage" | field tx_bytes)
	tps=$(echo "$usage" | field committed_tps)
	run --workload kvstore --validators "$v" --tx-bytes "${size%.*}" >/dev/null
	run --workload mixed --validators "$v" >/dev/null
	if [ "$v" = 1 ]; then
		# latency at half the saturation rate
		half=$(awk -v t="${tps:-0}" 'BEGIN { printf "%d", t / 2 }')
		[ "$half" -gt 0 ] && run --workload usage --validators 1 --rate "$half" >/dev/null
	fi
done

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
cmd="scripts/bench.sh $([ "$quick" = 1 ] && echo "--quick ")--timeout-commit $timeout_commit${duration:+ --duration $duration}"
"$work/datarightsd" bench report --in "$results" --json "$out/results.json" --svg "$out/chart.svg" \
	--machine "$machine" --command "$cmd"
if [ -n "$json" ]; then cp "$out/results.json" "$json"; fi
