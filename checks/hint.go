package checks

import "time"

// Hint is what a result suggests doing next, typed rather than worded so
// that each front end says it in its own words: the CLI names its flags,
// the TUI its steps and keys (a flag means nothing on a screen that takes
// none). The zero Hint suggests nothing.
type Hint struct {
	Kind HintKind
	// Tested is the horizon the run had (HintLongerHorizon), or the
	// longest idle time proven before the run was stopped (HintRunToEnd).
	Tested time.Duration
	// Want is the horizon that answers the page's requirement.
	Want time.Duration
}

// HintKind says which next step a Hint suggests.
type HintKind string

const (
	// HintLongerHorizon: the run searched a shorter horizon than the page
	// asks (the demo's 20 s), so it cannot prove the requirement.
	HintLongerHorizon HintKind = "longer-horizon"
	// HintRunToEnd: the run was stopped before it knew; a full run does.
	HintRunToEnd HintKind = "run-to-end"
)

// IsZero reports whether the hint suggests nothing.
func (h Hint) IsZero() bool { return h.Kind == "" }

// withHint sets the result's hint and returns it.
func (r Result) withHint(h Hint) Result {
	r.Hint = h
	return r
}

// Salvage is what check id proved before its run was cut short, from the
// last live state it reported (rungs), when the check keeps such a result
// (Spec.Salvage): the session's way out (a signal, a closed terminal, the
// quit key) calls it instead of waiting for the check to return. ok is
// false when the check has nothing to keep.
func Salvage(id string, rungs []Rung, opt Options, took time.Duration) (r Result, ok bool) {
	spec, found := Lookup(id)
	if !found || spec.Salvage == nil || len(rungs) == 0 {
		return Result{}, false
	}
	r = spec.Salvage(rungs, opt, took)
	r.ID, r.Duration = id, took
	return r.cleaned(), true
}
