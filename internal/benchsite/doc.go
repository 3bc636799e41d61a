// Package benchsite is the loopback "BIZTEL site" the benchmarks run
// `biztel-doctor check` against (scripts/bench.sh, BENCHMARKS.md). It is a
// test binary, not part of the release: the fakes of checks/checktest need
// a testing.TB, so the site is served by TestServeSite when BENCHSITE_MODE
// (healthy or blackhole) and BENCHSITE_DIR are set, until SIGTERM:
//
//	go test -c -o .bench/benchsite ./internal/benchsite
//	BENCHSITE_MODE=healthy BENCHSITE_DIR=.bench/healthy .bench/benchsite -test.run '^TestServeSite$' -test.timeout 0
//
// It writes into BENCHSITE_DIR: site.yaml (the profile), override.yaml (for
// check --dev-override), flags (check's site flags, one per line),
// peers.env (ports for the comparison tools), ca.pem, and last ready.
// Everything listens on 127.0.0.1 only.
package benchsite
