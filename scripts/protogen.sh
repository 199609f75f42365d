#!/usr/bin/env bash
# Regenerates every *.pb.go from proto/ (the one command for protobuf code).
#
#   scripts/protogen.sh          regenerate in place
#   scripts/protogen.sh --check  regenerate into a temporary tree and fail if
#                                the committed code differs (CI runs this)
#
# protoc comes from Debian's protobuf-compiler package (installed if absent);
# protoc-gen-go is built from the google.golang.org/protobuf version in go.mod,
# so generated code only changes when go.mod does.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v protoc >/dev/null 2>&1; then
  echo "protogen: installing protoc (Debian protobuf-compiler)" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq protobuf-compiler >/dev/null
fi

bin="$(pwd)/.tools/bin"
mkdir -p "$bin"
GOBIN="$bin" go install google.golang.org/protobuf/cmd/protoc-gen-go

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mod=github.com/datarights/datarights
protoc -I proto --plugin=protoc-gen-go="$bin/protoc-gen-go" \
  --go_out="$out" --go_opt=module="$mod" \
  $(find proto -name '*.proto' | sort)

if [ "${1:-}" = "--check" ]; then
  stale=0
  while IFS= read -r f; do
    rel=${f#"$out"/}
    if ! cmp -s "$f" "$rel"; then echo "stale generated code: $rel" >&2; stale=1; fi
  done < <(find "$out" -name '*.pb.go' | sort)
  while IFS= read -r f; do
    [ -f "$out/$f" ] || { echo "generated file without a proto: $f" >&2; stale=1; }
  done < <(git ls-files '*.pb.go')
  [ $stale = 0 ] || { echo "run scripts/protogen.sh and commit the result" >&2; exit 1; }
  echo "protogen: generated code is up to date"
  exit 0
fi

(cd "$out" && find . -name '*.pb.go') | while IFS= read -r f; do
  mkdir -p "$(dirname "$f")"
  cp "$out/$f" "$f"
done
echo "protogen: regenerated $(cd "$out" && find . -name '*.pb.go' | wc -l) files"
