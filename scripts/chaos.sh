#!/usr/bin/env bash
# The long reliability runs (docs/reliability.md). Each step prints its
# progress; the whole takes tens of minutes on 2 cores.
#
#   scripts/chaos.sh                 every step below
#   SEEDS=20 BLOCKS=1000 KILLS=100 scripts/chaos.sh
#
#   1. simulation: SEEDS seeds x BLOCKS random blocks, invariants after
#      every block, each seed run twice and compared per height
#   2. the simulation built with CGO_ENABLED=1 and =0, app hashes compared
#   3. crash tests on a real 4-node network: every Commit fail point,
#      CometBFT FAIL_TEST_INDEX points (FAILTEST), KILLS random kill -9
#   4. wiped app state, late-joining node, debug replay
#   5. kill -9 under load: FAULT_DURATION (5m) of the mixed workload at
#      FAULT_RATE tx/s (20) to node 0, one of nodes 1-3 killed every
#      FAULT_EVERY (20s), round-robin
#   6. partitions in network namespaces (root and iproute2): 2 of 4 cut for
#      20 s (no quorum), then 1 of 4 cut 3 times for 30 s under load
#   7. validator changes under load: VALSET_ROUNDS (3) departments, each on
#      a new node, added and removed by governance while the mixed
#      workload runs for VALSET_DURATION (3m) at FAULT_RATE tx/s
#   8. spam under load: 60 s of the mixed workload at FAULT_RATE to node 0,
#      then SPAM_DURATION (4m) more beside 10x as many invalid-signature txs
#      and SPAM_QUERIES (20) maximum-size queries a second
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${SEEDS:-20}
blocks=${BLOCKS:-1000}
kills=${KILLS:-100}
fault_duration=${FAULT_DURATION:-5m}
fault_every=${FAULT_EVERY:-20s}
fault_rate=${FAULT_RATE:-20}
failtest=${FAILTEST:-0,1,2,3,5,9,13}
valset_rounds=${VALSET_ROUNDS:-3}
valset_duration=${VALSET_DURATION:-3m}
spam_duration=${SPAM_DURATION:-4m}
spam_queries=${SPAM_QUERIES:-20}
step() { printf '\n\033[1m== %s\033[0m (%s)\n' "$*" "$(date -u +%FT%TZ)"; }

step "simulation: $seeds seeds x $blocks blocks"
go test -count=1 -timeout 2h -run '^TestSimulation$' ./app/sim -v \
  -sim.seeds="$seeds" -sim.blocks="$blocks" | grep -v '^    sim_test.go:5[0-9]: ' | tail -n 40

step "CGO_ENABLED=1 vs 0: 3 seeds x 300 blocks"
scripts/simcgo.sh 3 300

step "crash tests: Commit fail points, FAIL_TEST_INDEX $failtest, $kills kill -9"
DATARIGHTS_E2E_BUDGET=2h go test -count=1 -timeout 3h -run '^TestCrashInCommit$' ./test/e2e -v \
  -chaos.kills="$kills" -chaos.failtest="$failtest" | grep -E 'crash_test|^(---|ok|FAIL|PASS)'

step "wiped app state, late node, debug replay"
go test -count=1 -timeout 30m -run '^TestReplayAndResync$' ./test/e2e -v | grep -E 'crash_test|^(---|ok|FAIL|PASS)'

step "kill -9 under load: $fault_duration, every $fault_every, $fault_rate tx/s"
DATARIGHTS_E2E_BUDGET=1h go test -count=1 -timeout 1h -run '^TestKillUnderLoad$' ./test/e2e -v \
  -faults.duration="$fault_duration" -faults.every="$fault_every" -faults.rate="$fault_rate" | grep -E 'faults_test|^(---|ok|FAIL|PASS)'

step "partitions: no quorum 20s; minority 3 x 30s under load"
command -v ip >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq iproute2 >/dev/null; }
CI=true DATARIGHTS_E2E_BUDGET=1h go test -count=1 -timeout 1h -run '^TestPartitions$' ./test/e2e -v \
  -faults.noquorum=20s -faults.cuts=3 -faults.cut=30s -faults.rate="$fault_rate" | grep -E 'faults_test|^(---|ok|FAIL|PASS)'

step "validator changes under load: $valset_rounds add/remove rounds, $valset_duration at $fault_rate tx/s"
DATARIGHTS_E2E_BUDGET=1h go test -count=1 -timeout 1h -run '^TestValidatorChangeUnderLoad$' ./test/e2e -v \
  -faults.valset.rounds="$valset_rounds" -faults.valset.duration="$valset_duration" -faults.rate="$fault_rate" | grep -E 'valset_test|^(---|ok|FAIL|PASS)' | grep -v ' \$ datarightsd '
step "spam under load: 60s baseline, then $spam_duration of 10x invalid-signature txs and $spam_queries queries/s"
DATARIGHTS_E2E_BUDGET=1h go test -count=1 -timeout 1h -run '^TestSpamUnderLoad$' ./test/e2e -v \
  -spam.baseline=60s -spam.duration="$spam_duration" -spam.queries="$spam_queries" -faults.rate="$fault_rate" | grep -E 'spam_test|^(---|ok|FAIL|PASS)'

step "chaos runs passed"
