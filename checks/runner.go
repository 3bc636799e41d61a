package checks

import (
	"context"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

// Runner timeouts.
const (
	// OverallDeadline bounds a whole normal run. The slowest normal checks
	// (media.quality at its default 10 s stream plus set-up) fit in it with
	// room; a run with longer checks (--long, a longer --media-duration) gets
	// its longest check's budget plus OverallMargin instead.
	OverallDeadline = 30 * time.Second
	// OverallMargin is added to the longest check budget for the overall
	// deadline, so checks waiting on prerequisites still finish.
	OverallMargin = 10 * time.Second
	// ReturnGrace is how long the runner waits for a check to return after
	// its context ended before recording it as stuck.
	ReturnGrace = 2 * time.Second
)

// EventKind says what an Event reports.
type EventKind int

const (
	EventStarted  EventKind = iota // a check began
	EventFinished                  // a check has its Result (also skips)
	EventSample                    // a live measurement of a running check
)

// Event is one progress report of a run, consumed by the CLI and the TUI.
type Event struct {
	Kind   EventKind
	ID     string
	At     time.Time
	Result *Result // EventFinished
	Sample *Sample // EventSample
}

// Outcome is a finished (or interrupted) run.
type Outcome struct {
	Started     time.Time
	Duration    time.Duration
	Interrupted bool     // the run was cancelled before every check finished
	Results     []Result // in plan order, one per planned check
	// Excluded are the checks the run flags left out (Plan.Excluded), as
	// skip results whose SkippedBecause names the flag; not in Results, and
	// never sent as events: they are no part of the run, only of its report.
	Excluded []Result
}

// excludedResults turns the plan's exclusions into skip results.
func excludedResults(plan *Plan) []Result {
	var out []Result
	for _, ex := range plan.Excluded {
		r := SkipResult(ex.ID, ex.Why)
		r.SkippedBecause = ex.By
		out = append(out, r)
	}
	return out
}

// OverallTimeout returns the deadline of a run of plan: its schedule with
// every check taking its whole budget, plus the margin. Skipped checks
// return at once (nat.timer's hour without --long would stretch every run).
func OverallTimeout(plan *Plan) time.Duration {
	_, longest := plan.Duration()
	return max(OverallDeadline, longest+OverallMargin)
}

// Run executes plan. Events (when ch is not nil) are sent as they happen and
// ch is closed at the end. Cancelling ctx interrupts: finished results are
// kept, every other check becomes error "interrupted".
func Run(ctx context.Context, plan *Plan, env *Env, ch chan<- Event) *Outcome {
	env = env.withDefaults()
	start := env.Now()
	out := &Outcome{Started: start, Excluded: excludedResults(plan)}
	runCtx, cancel := context.WithTimeout(ctx, OverallTimeout(plan))
	defer cancel()
	s := &runState{ctx: ctx, ch: ch, Content: env.Content, results: map[string]Result{}, done: map[string]chan struct{}{}}
	for _, id := range plan.Checks {
		s.done[id] = make(chan struct{})
	}
	gates := plan.gates()
	var wg sync.WaitGroup
	for _, id := range plan.Checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.runCheck(runCtx, plan, id, gates[id], env)
		}()
	}
	allDone := make(chan struct{})
	go func() { wg.Wait(); close(allDone) }()
	select {
	case <-allDone:
	case <-runCtx.Done():
		select {
		case <-allDone:
		case <-time.After(ReturnGrace):
		}
	}
	// Held until the stream is closed, so a check finishing late cannot
	// report a second result for one collect already reported.
	s.mu.Lock()
	defer s.mu.Unlock()
	out.Interrupted = ctx.Err() != nil
	out.Results = s.collect(plan, out.Interrupted)
	out.Duration = env.Now().Sub(start)
	s.closeEvents()
	return out
}

// runState is one run's shared state: the results so far, a done channel
// per check (closed when its result is in), and the event stream.
type runState struct {
	ctx     context.Context // the caller's: its end is an interrupt
	ch      chan<- Event
	Content *content.Content // the run's words (Env.Content)
	mu      sync.Mutex
	results map[string]Result
	done    map[string]chan struct{}
	sendMu  sync.RWMutex
	closed  bool // ch is closed: late events are dropped
}

// send delivers one event unless the stream is closed or nobody listens.
func (s *runState) send(ev Event) {
	if s.ch == nil {
		return
	}
	s.sendMu.RLock()
	defer s.sendMu.RUnlock()
	if s.closed {
		return // a check that overran its budget reports after the run ended
	}
	ev.At = time.Now()
	select {
	case s.ch <- ev:
	case <-s.ctx.Done():
		// a consumer that stopped reading must not block an interrupted run
		select {
		case s.ch <- ev:
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// finish records a check's result, reports it and releases its dependents.
func (s *runState) finish(r Result) {
	s.mu.Lock()
	s.results[r.ID] = r
	s.mu.Unlock()
	s.send(Event{Kind: EventFinished, ID: r.ID, Result: &r})
	close(s.done[r.ID])
}

// runCheck waits for the check's turn and its dependencies, then runs it
// (or skips it as the plan says). Interrupted while waiting, it records
// nothing: collect does.
func (s *runState) runCheck(runCtx context.Context, plan *Plan, id string, gate []string, env *Env) {
	spec := plan.specs[id]
	if !waitAll(runCtx, gate, s.done) {
		return
	}
	deps, ok := waitDeps(runCtx, spec, s.done, &s.mu, s.results)
	if !ok {
		return
	}
	if r, skip := planSkip(plan, spec, deps, env); skip {
		s.finish(r)
		return
	}
	s.send(Event{Kind: EventStarted, ID: id})
	in := &Input{Profile: plan.Profile, Options: plan.Options, Targets: plan.For(id), Deps: deps, Env: env, Content: env.Content,
		Sample: func(smp Sample) {
			smp.ID = id
			s.send(Event{Kind: EventSample, ID: id, Sample: &smp})
		}}
	if r, ok := runOne(runCtx, spec, in, env); ok {
		s.finish(r)
	}
}

// collect returns every planned check's result in plan order; one that
// never finished is an error saying why (interrupted, or out of time).
// The caller holds s.mu.
func (s *runState) collect(plan *Plan, interrupted bool) []Result {
	var out []Result
	for _, id := range plan.Checks {
		r, ok := s.results[id]
		if !ok {
			if interrupted {
				r = ErrorResult(id, s.Content.Phrase("check.runner.interrupted", nil))
			} else {
				r = ErrorResult(id, s.Content.Phrase("check.runner.overall_deadline", nil)).
					WithFact("overall_deadline_s", OverallTimeout(plan).Seconds())
			}
			s.send(Event{Kind: EventFinished, ID: id, Result: &r})
		}
		out = append(out, r)
	}
	return out
}

// closeEvents ends the event stream; later sends are dropped.
func (s *runState) closeEvents() {
	if s.ch == nil {
		return
	}
	s.sendMu.Lock()
	s.closed = true
	close(s.ch)
	s.sendMu.Unlock()
}

// waitAll waits until every check of ids has finished; false when ctx ended
// first.
func waitAll(ctx context.Context, ids []string, done map[string]chan struct{}) bool {
	for _, id := range ids {
		select {
		case <-done[id]:
		case <-ctx.Done():
			return false
		}
	}
	return true
}

// waitDeps waits for a check's prerequisites and returns their results.
func waitDeps(ctx context.Context, spec Spec, done map[string]chan struct{}, mu *sync.Mutex, results map[string]Result) (map[string]Result, bool) {
	deps := map[string]Result{}
	for _, dep := range spec.deps() {
		ch, planned := done[dep]
		if !planned {
			continue // left out by --skip: no information, not a failure
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, false
		}
		mu.Lock()
		deps[dep] = results[dep]
		mu.Unlock()
	}
	return deps, true
}

// planSkip decides a skip before running: not applicable per the plan, or a
// prerequisite that did not pass.
func planSkip(plan *Plan, spec Spec, deps map[string]Result, env *Env) (Result, bool) {
	if why, ok := plan.Skipped[spec.ID]; ok {
		r := SkipResult(spec.ID, why)
		if longLeftOut(spec, plan.Options) {
			r.SkippedBecause = ExcludedByLong
		}
		return r, true
	}
	for _, need := range spec.Needs {
		if r, ok := deps[need]; ok && !r.Status.OK() {
			return prereqSkip(spec.ID, need, r), true
		}
	}
	if len(spec.NeedsAny) > 0 {
		var first string
		var firstR Result
		seen := 0
		for _, need := range spec.NeedsAny {
			r, ok := deps[need]
			if !ok {
				continue
			}
			seen++
			if r.Status.OK() {
				return Result{}, false
			}
			if first == "" {
				first, firstR = need, r
			}
		}
		if seen > 0 {
			return prereqSkip(spec.ID, first, firstR), true
		}
		if !slices.ContainsFunc(spec.NeedsAny, func(id string) bool { return slices.Contains(plan.Checks, id) }) {
			// every alternative was left out (--skip): nothing to judge with
			list := strings.Join(spec.NeedsAny, ", ")
			s := SkipResult(spec.ID, env.Content.Phrase("check.runner.prereqs_left_out", content.Vars{"list": list}))
			s.SkippedBecause = spec.NeedsAny[0]
			s.Facts["prerequisites_left_out"] = list
			return s, true
		}
	}
	return Result{}, false
}

// prereqSkip is the skip of a check whose prerequisite need did not pass;
// checks call it too, so it takes its words from the embedded content.
func prereqSkip(id, need string, r Result) Result {
	s := SkipResult(id, content.Phrase("check.runner.prereq_not_ok", content.Vars{"need": need, "status": string(r.Status)}))
	s.SkippedBecause = need
	s.Facts["prerequisite"] = need
	s.Facts["prerequisite_status"] = string(r.Status)
	return s
}

// runOne runs a check under its timeout, turning a panic or a check that
// overruns its deadline into an error result. ok is false when the run was
// interrupted before the check returned.
func runOne(ctx context.Context, spec Spec, in *Input, env *Env) (r Result, ok bool) {
	budget := spec.timeout(in.Options)
	cctx, cancel := context.WithTimeout(ctx, budget)
	defer cancel()
	started := env.Now()
	resc := make(chan Result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				env.Log.Printf("check %s panicked: %v\n%s", spec.ID, p, debug.Stack())
				resc <- ErrorResult(spec.ID, env.Content.Phrase("check.runner.panicked", content.Vars{"panic": p}))
			}
		}()
		resc <- spec.Run(cctx, in)
	}()
	select {
	case r = <-resc:
	case <-cctx.Done():
		select {
		case r = <-resc:
		case <-time.After(ReturnGrace):
			if ctx.Err() != nil && ctx.Err() == context.Canceled {
				return Result{}, false // nothing came back in time, kept or not
			}
			r = ErrorResult(spec.ID, env.Content.Phrase("check.runner.overran", content.Vars{"budget": budget})).
				WithFact("timeout_s", budget.Seconds())
		}
	}
	if ctx.Err() == context.Canceled && (!spec.KeepOnCancel || r.Status == "") {
		return Result{}, false // interrupted: the result may reflect the cancel, not the network
	}
	r.ID = spec.ID
	r.Duration = env.Now().Sub(started)
	if r.Facts == nil {
		r.Facts = Facts{}
	}
	if (r.Status == Warn || r.Status == Fail) && len(r.Remedies) == 0 {
		env.Log.Printf("check %s: %s without a remedy", spec.ID, r.Status)
	}
	if r.Status == "" {
		r = ErrorResult(spec.ID, env.Content.Phrase("check.runner.no_status", nil))
	}
	return r.cleaned(), true
}
