package session

import (
	"slices"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

// Interrupted is the summary of a check cut short (design.md §3).
var Interrupted = content.T("中断されました", "interrupted")

// Begin records a run of plan about to start: every planned check gets a
// new run, waiting its turn, so a run cut short still names each one. item
// is the checklist item a verify run proves ("" otherwise).
func (s *Session) Begin(plan *checks.Plan, kind Kind, item string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.started.IsZero() {
		s.started = now
	}
	if kind == KindVerify {
		s.checklist.beginVerify(item, s.worstLocked(plan.Checks), plan.Checks)
	}
	for _, id := range plan.Checks {
		s.runs[id] = append(s.runs[id], Run{Kind: kind, Item: item})
	}
	for _, ex := range plan.Excluded {
		if _, ran := s.runs[ex.ID]; !ran {
			r := checks.SkipResult(ex.ID, ex.Why)
			r.SkippedBecause = ex.By
			s.excluded[ex.ID] = r
		}
	}
	s.active, s.activeOpt = slices.Clone(plan.Checks), plan.Options
	clear(s.ladders)
}

// Event records a run's progress: a check started or finished.
func (s *Session) Event(ev checks.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch ev.Kind {
	case checks.EventStarted:
		if r := s.openRun(ev.ID); r != nil && r.Started.IsZero() {
			r.Started = ev.At
		}
	case checks.EventFinished:
		s.finish(*ev.Result)
	case checks.EventSample:
		if ev.Sample != nil && ev.Sample.Rungs != nil {
			s.ladders[ev.ID] = slices.Clone(ev.Sample.Rungs)
		}
	}
}

// End records the outcome of the run in flight: results no event brought,
// and whether it was cut short.
func (s *Session) End(o *checks.Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range o.Results {
		s.finish(r)
	}
	if o.Interrupted {
		s.interrupted = true
	}
	s.closeActive()
	if end := o.Started.Add(o.Duration); end.After(s.last) {
		s.last = end
	}
	s.checklist.endVerify(s.now(), s.worstLocked, s.Ticked)
}

// Interrupt cuts the run in flight short: every check not finished, started
// or not, becomes error "interrupted", so the report names every check and
// none passes unmeasured — except what a check proved before the cut and
// keeps (nat.timer's rungs that answered: warn "only ≥ N s proven", from
// its last live rungs, without waiting for it). It is what a signal, a
// closed terminal, the quit key or a recovered panic calls before the
// report is written.
func (s *Session) Interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.active) == 0 {
		return
	}
	s.interrupted = true
	s.closeActive()
	s.last = s.now()
	s.checklist.endVerify(s.last, s.worstLocked, s.Ticked)
}

// closeActive ends every open run of the run in flight as interrupted, or
// as what it proved when it keeps that (checks.Salvage).
func (s *Session) closeActive() {
	for _, id := range s.active {
		r := s.openRun(id)
		if r == nil {
			continue
		}
		r.Done, r.Result, s.interrupted = true, checks.ErrorResult(id, Interrupted), true
		if r.Started.IsZero() {
			continue // never started: nothing to keep
		}
		if kept, ok := checks.Salvage(id, s.ladders[id], s.activeOpt, s.now().Sub(r.Started)); ok {
			r.Result = s.withHintWords(kept)
		}
	}
	s.active = nil
}

// openRun is the latest run of id when it has not finished.
func (s *Session) openRun(id string) *Run {
	rs := s.runs[id]
	if len(rs) == 0 || rs[len(rs)-1].Done {
		return nil
	}
	return &rs[len(rs)-1]
}

func (s *Session) finish(res checks.Result) {
	r := s.openRun(res.ID)
	if r == nil {
		return // already recorded (its event came first)
	}
	r.Done, r.Result = true, s.withHintWords(res)
	if r.Started.IsZero() {
		r.Started = s.now()
	}
}

// Ladder is the last live state of check id's ladder in the run in flight
// (nat.timer's rungs), nil when it reported none.
func (s *Session) Ladder(id string) []checks.Rung {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.ladders[id])
}

// Running reports whether a run is in flight, and how many of its checks
// have finished.
func (s *Session) Running() (running bool, done, total int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.active {
		if s.openRun(id) == nil {
			done++
		}
	}
	return len(s.active) > 0, done, len(s.active)
}

// InFlight reports whether check id is in the run in flight and has not
// finished.
func (s *Session) InFlight(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Contains(s.active, id) && s.openRun(id) != nil
}

// Latest is the result of the latest finished run of check id.
func (s *Session) Latest(id string) (checks.Result, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latestLocked(id)
}

func (s *Session) latestLocked(id string) (checks.Result, bool) {
	rs := s.runs[id]
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i].Done {
			return rs[i].Result, true
		}
	}
	return checks.Result{}, false
}

// Runs is every run of check id, oldest first.
func (s *Session) Runs(id string) []Run {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.runs[id])
}

// Results is the latest result of every check that finished a run, in
// catalog order.
func (s *Session) Results() []checks.Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resultsLocked()
}

func (s *Session) resultsLocked() []checks.Result {
	var out []checks.Result
	for _, ci := range s.cfg.Content.Checks {
		if r, ok := s.latestLocked(ci.ID); ok {
			out = append(out, r)
		}
	}
	return out
}

// Measured reports whether any check finished a run.
func (s *Session) Measured() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range s.runs {
		if _, ok := s.latestLocked(id); ok {
			return true
		}
	}
	return false
}

// worstLocked is the worst latest status of ids ("" when none ran).
func (s *Session) worstLocked(ids []string) checks.Status {
	var worst checks.Status
	for _, id := range ids {
		if r, ok := s.latestLocked(id); ok && rank(r.Status) > rank(worst) {
			worst = r.Status
		}
	}
	return worst
}

// rank orders statuses from no result to error, for "worst of".
func rank(st checks.Status) int {
	return slices.Index([]checks.Status{"", checks.Pass, checks.Skip, checks.Warn, checks.Fail, checks.Error}, st)
}

// WithDependents is check id and every check in plan that builds on it
// (Needs, NeedsAny or After, transitively), in plan order: what a re-run
// of id must run again so no result rests on the old one.
func (s *Session) WithDependents(id string, plan []string) []string {
	set := map[string]bool{id: true}
	for grew := true; grew; {
		grew = false
		for _, sp := range checks.Registry() {
			if set[sp.ID] {
				continue
			}
			for _, d := range slices.Concat(sp.Needs, sp.NeedsAny, sp.After) {
				if set[d] {
					set[sp.ID], grew = true, true
					break
				}
			}
		}
	}
	var out []string
	for _, c := range plan {
		if set[c] {
			out = append(out, c)
		}
	}
	if !slices.Contains(out, id) {
		out = append([]string{id}, out...)
	}
	return out
}

// NotMeasured lists the catalog checks whose latest result measured
// nothing — skipped, left out by the run, or never run — so "no problems
// found" can say what it does not cover.
func (s *Session) NotMeasured() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, ci := range s.cfg.Content.Checks {
		if r, ok := s.latestLocked(ci.ID); !ok || r.Status == checks.Skip {
			out = append(out, ci.ID)
		}
	}
	return out
}
