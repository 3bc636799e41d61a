#!/usr/bin/env bash
# Installs the pinned GoReleaser with `go install` (through the Go module
# proxy; no curl | sh) and runs it against .goreleaser.yaml.
#   scripts/release.sh check      validate the configuration
#   scripts/release.sh snapshot   build every archive + checksums.txt into dist/ (nothing is published)
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned: bump deliberately, after reading the release notes. v2.18 needs Go
# 1.27; v2.17.0 needs go.digitalxero.dev/go-msix, which the Go module proxy
# refused (403) when this was pinned; v2.16.0 installs with Go 1.26.
GORELEASER_VERSION=v2.16.0
TOOLS=${TOOLS:-$PWD/.tools}
GORELEASER=$TOOLS/goreleaser-$GORELEASER_VERSION

if [ ! -x "$GORELEASER" ]; then
  echo "== installing goreleaser $GORELEASER_VERSION into $TOOLS"
  mkdir -p "$TOOLS"
  GOBIN="$TOOLS" go install "github.com/goreleaser/goreleaser/v2@$GORELEASER_VERSION"
  mv "$TOOLS/goreleaser" "$GORELEASER"
fi
"$GORELEASER" --version | grep -E "GitVersion" || true

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
