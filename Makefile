# Developer and release tasks. CI runs .ci/run; these are the same steps by name.
#   make build          ./biztel-doctor for this machine (stripped, version-stamped)
#   make test           go test -race ./...
#   make cross          build every release target into dist/cross/ and print sizes
#   make release-check  install the pinned goreleaser and run `goreleaser check`
#   make snapshot       goreleaser snapshot build (archives + checksums.txt in dist/)
#   make bench          reproduce every number in BENCHMARKS.md

GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null)
DATE    ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)

.PHONY: build test cross release-check snapshot bench

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o biztel-doctor .

test:
	$(GO) test -race ./...

cross:
	scripts/cross.sh

release-check:
	scripts/release.sh check

snapshot:
	scripts/release.sh snapshot

bench:
	scripts/bench.sh
