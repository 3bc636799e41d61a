package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/biztel-tools/biztel-doctor/checks"
)

// Runner runs a plan; checks.Run in production, a fake in tests.
type Runner func(ctx context.Context, plan *checks.Plan, env *checks.Env, events chan<- checks.Event) *checks.Outcome

// run is one run of the checks in flight: the event stream the UI reads one
// message at a time, and the outcome at the end.
type run struct {
	plan   *checks.Plan
	verify string // checklist item being verified; "" for a normal run
	events chan checks.Event
	done   chan *checks.Outcome
	cancel context.CancelFunc
}

// Messages of a run.
type (
	runStartedMsg struct{ run *run }
	checkEventMsg struct {
		run *run
		ev  checks.Event
	}
	runDoneMsg struct {
		run     *run
		outcome *checks.Outcome
	}
	// startChecksMsg asks the root to start a run (from the ways-in screen
	// or a checklist verify).
	startChecksMsg struct {
		only   []string
		verify string
	}
)

// eventBuffer lets a burst of events (many quick skips) through without
// making the runner wait on the UI.
const eventBuffer = 32

// startRun starts plan in the background and returns the run handle.
func startRun(ctx context.Context, runner Runner, plan *checks.Plan, env *checks.Env, verify string) tea.Cmd {
	return func() tea.Msg {
		rctx, cancel := context.WithCancel(ctx)
		r := &run{plan: plan, verify: verify, events: make(chan checks.Event, eventBuffer),
			done: make(chan *checks.Outcome, 1), cancel: cancel}
		go func() { r.done <- runner(rctx, plan, env, r.events) }()
		return runStartedMsg{run: r}
	}
}

// waitEvent reads one event; the receiver re-arms it until runDoneMsg.
func waitEvent(r *run) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-r.events
		if !ok {
			return runDoneMsg{run: r, outcome: <-r.done}
		}
		return checkEventMsg{run: r, ev: ev}
	}
}
