// Package e2e holds the end-to-end scenarios of issue 6: the real
// biztel-doctor binary runs `check --format json --lang en` inside the
// client namespace of a netlab bed (design.md §6) whose router carries one
// fault at a time. Each scenario (a row of scenarios() in table_test.go)
// asserts the status of every check ID of design.md §4 — listed ones as
// given, the rest "pass" on full runs — the remedies and checklist items
// that must appear, proves the fault was really in effect (the drop rule's
// counter moved, conntrack/kamailio saw the ALG, the timeout object was
// hit) and that no packet headed outside the bed. A failing scenario logs
// the JSON report and the router's `nft list ruleset` with counters.
//
// Run (as root, Linux, with the Debian packages of .ci/run installed):
//
//	go test -race -count=1 ./netlab/... ./e2e/...
//
// Measured on the 2-core build machine: netlab ≈ 45 s, e2e ≈ 4 min (22
// rows, two at a time; scenario 6's nat.timer search alone is ≈ 150 s).
// BIZTEL_DOCTOR_BIN=/path/to/biztel-doctor tests a prebuilt binary instead
// of building one from this module. A build without the checks (catalog
// stubs answering "not implemented") skips the scenarios, and a build
// without `serve` runs them without a reflector; with CI=true both fail,
// as does any skip, so a missing install step cannot hide.
//
// Scenario 5 (the kernel FTP ALG on the FTPS control port): the ALG
// cannot read TLS, so AUTH TLS and the handshake pass through it and
// ftps.control passes; but the PASV reply travels inside TLS, so the ALG
// never opens an expectation for the data connection. A router that
// lets FTP data through only as RELATED (trusting its ALG, as such
// routers do) then drops every passive connection: ftps.passive fails
// while the control channel works. That is how an FTP ALG breaks the bulk
// recording download with vsftpd's explicit FTPS.
package e2e
