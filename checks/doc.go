// Package checks judges a site against BIZTEL's requirements. It holds the
// engine and one file per check of the catalog (design.md §4): a pure Plan
// turns a site profile into the destinations to contact (what `plan`
// prints), and the runner executes a plan, concurrently, under named
// timeouts, streaming progress events to the CLI or the TUI. Each check
// measures through probe/… or hostinfo (never on its own sockets' protocol
// details), judges the typed result and phrases the finding in both
// languages with its remedies. Failed probes are results, not Go errors;
// every edge (network, resolver, clock, files, OS) comes in through Env.
package checks
