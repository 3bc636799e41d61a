#!/usr/bin/env bash
# Installs the pinned GoReleaser with `go install` (through the Go module
# proxy; no curl | sh) and runs it against .goreleaser.yaml.
#   scripts/release.sh check      validate the configuration
#   scripts/release.sh snapshot   build every archive + checksums.txt into dist/ (nothing is published)
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned: bump deliberately, after reading the release notes. v2.17.0 is the
# newest release whose go.mod accepts our Go 1.26 toolchain (v2.18 needs Go 1.27).
GORELEASER_VERSION=v2.17.0
TOOLS=${TOOLS:-$PWD/.tools}
GORELEASER=$TOOLS/goreleaser-$GORELEASER_VERSION

if [ ! -x "$GORELEASER" ]; then
  echo "== installing goreleaser $GORELEASER_VERSION into $TOOLS"
  mkdir -p "$TOOLS"
  GOBIN="$TOOLS" go install "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION"
  mv "$TOOLS/goreleaser" "$GORELEASER"
fi
"$GORELEASER" --version | head -n 3

case "${1:-check}" in
  check)
    "$GORELEASER" check
    ;;
  snapshot)
    "$GORELEASER" check
    "$GORELEASER" release --snapshot --clean
    echo "== artifacts"
    ls -l dist/*.tar.gz dist/*.zip dist/checksums.txt
    ;;
  *)
    echo "usage: $0 check|snapshot" >&2; exit 2
    ;;
esac
