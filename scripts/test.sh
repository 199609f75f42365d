#!/usr/bin/env bash
# The whole test suite: the README's second command, and what CI runs.
#
#   scripts/test.sh           vet, every test (unit, app, end-to-end on real
#                             nodes), and a short run of every fuzz target
#   scripts/test.sh --quick   skip the end-to-end tests and the fuzzing
#
# Fuzz targets run for FUZZTIME each (default 10s); crashers they find are
# written to the package's testdata/fuzz/ and then fail the plain tests too.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
fuzztime=${FUZZTIME:-10s}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' | grep -v '\.pb\.go$') 2>/dev/null || true)
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi
echo ok

step "go vet"
go vet ./...
echo ok

step "tests"
if [ $quick = 1 ]; then
  go test -short -count=1 ./...
else
  go test -count=1 -timeout 45m ./...
fi

step "race detector (the app's connections run concurrently)"
# CometBFT calls CheckTx and queries while a block executes and commits
# (server/node.go); these tests drive the app that way.
go test -race -count=1 -run 'TestConcurrentConnections|TestPrepareProposalOrdersNonces' ./app
go test -race -count=1 ./store

if [ $quick = 0 ]; then
  step "fuzzing ($fuzztime per target)"
  # package:target, one go test invocation each (go test fuzzes one target at a time)
  for pt in $(grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
      d=$(dirname "$f")
      grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | sed "s#^func #$d:#"
    done); do
    pkg=${pt%%:*}; target=${pt##*:}
    echo "-- $target in $pkg"
    go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" -fuzzminimizetime=2s "$pkg" >/tmp/fuzz.$$ 2>&1 || { cat /tmp/fuzz.$$; rm -f /tmp/fuzz.$$; exit 1; }
    tail -1 /tmp/fuzz.$$
  done
  rm -f /tmp/fuzz.$$
fi
step "all tests passed"
