// Package e2e holds the end-to-end scenarios of issue 6: the real
// biztel-doctor binary runs `check --format json` inside the client
// namespace of a netlab bed (design.md §6) whose router carries one fault at
// a time, and each scenario asserts the status of every check ID, proves the
// fault was really in effect, and that no packet left the bed.
//
// Run (as root, Linux, with the Debian packages of .ci/run installed):
//
//	go test -race -count=1 ./netlab/... ./e2e/...
//
// BIZTEL_DOCTOR_BIN=/path/to/biztel-doctor tests a prebuilt binary instead
// of building one. Elsewhere the tests skip with one line; with CI=true a
// skip is a failure.
package e2e
