#!/usr/bin/env bash
# Builds every release target the way .goreleaser.yaml does (CGO_ENABLED=0,
# -trimpath, -s -w) and prints the size of each stripped binary.
# Goal (issue 7): linux/amd64 <= 20 MB. Output: dist/cross/<os>_<arch>/.
set -euo pipefail
cd "$(dirname "$0")/.."

targets="linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"
limit=$((20 * 1024 * 1024))
printf '%-14s %12s %8s\n' target bytes MiB
for t in $targets; do
  os=${t%/*} arch=${t#*/}
  ext=""; [ "$os" = windows ] && ext=.exe
  out=dist/cross/${os}_${arch}/biztel-doctor$ext
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags '-s -w -X main.version=size-check' -o "$out" .
  bytes=$(stat -c %s "$out" 2>/dev/null || stat -f %z "$out")
  printf '%-14s %12d %8.2f\n' "$t" "$bytes" "$(awk -v b="$bytes" 'BEGIN{print b/1048576}')"
  if [ "$t" = linux/amd64 ] && [ "$bytes" -gt "$limit" ]; then
    echo "linux/amd64 binary is $bytes bytes, over the 20 MB goal" >&2
    over=1
  fi
done
exit ${over:-0}
