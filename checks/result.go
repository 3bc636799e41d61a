package checks

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

// Status is the outcome of one check.
type Status string

const (
	Pass  Status = "pass"  // the requirement is met
	Warn  Status = "warn"  // works, but something should change (names a remedy)
	Fail  Status = "fail"  // the requirement is not met (names a remedy)
	Skip  Status = "skip"  // not applicable, or a prerequisite missing (says which)
	Error Status = "error" // the check itself could not run or judge
)

// Statuses lists every status, best first.
var Statuses = []Status{Pass, Warn, Skip, Fail, Error}

// Bad reports whether the status makes `check` exit 1.
func (s Status) Bad() bool { return s == Fail || s == Error }

// OK reports whether a dependent check may build on this result.
func (s Status) OK() bool { return s == Pass || s == Warn }

// Symbol is a short ASCII mark that reads without colour (and without
// East-Asian-ambiguous glyphs, which some terminals draw wide).
func (s Status) Symbol() string {
	switch s {
	case Pass:
		return "[OK]"
	case Warn:
		return "[!!]"
	case Fail:
		return "[NG]"
	case Skip:
		return "[--]"
	case Error:
		return "[??]"
	}
	return "[  ]"
}

// LabelIn is the status word in lang from c.
func (s Status) LabelIn(c *content.Content, lang content.Lang) string {
	return c.Label("status."+string(s), lang)
}

// Facts are the evidence of a result: addresses, ports, timings, names. Values
// are strings, numbers or booleans. A key that is absent was not measured.
type Facts map[string]any

// Keys returns the fact keys sorted, for stable rendering.
func (f Facts) Keys() []string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// String renders a fact value for text output.
func FactString(v any) string {
	switch x := v.(type) {
	case float64:
		return fmt.Sprintf("%.4g", x)
	case time.Duration:
		return x.String()
	case []string:
		return fmt.Sprint(x)
	}
	return fmt.Sprint(v)
}

// Result is what one check found.
type Result struct {
	ID       string        // catalog id, e.g. "sip.udp"
	Status   Status        // see Status
	Summary  content.Text  // one sentence for people, with the key numbers
	Facts    Facts         // evidence; nil when nothing was observed
	Remedies []string      // remedy ids (content), at least one for warn and fail
	Duration time.Duration // wall time the check took; 0 when it did not run
	// SkippedBecause names what made this check skip: the prerequisite check
	// whose failure did, or the run flag that left it out (ExcludedBySkip,
	// ExcludedByOnly, ExcludedByLong; these start with "--"). "" otherwise.
	SkippedBecause string
	// Evidence is the check's typed measurement (a per-check struct such as
	// SIPSizeEvidence), which Facts are rendered from. Checks that build on
	// another's result read this, never its Facts strings. Nil when the
	// check measured nothing; not part of the JSON report.
	Evidence any
	// Hint is what to do next, typed so the CLI and the TUI phrase it each
	// in their own words (the session adds those words to the summary).
	Hint Hint
}

// Excluded reports whether the run flags left this check out (it did not
// run because the user asked so, not because of the network).
func (r Result) Excluded() bool {
	return r.Status == Skip && strings.HasPrefix(r.SkippedBecause, "--")
}

// WithFact sets one fact and returns the result, for brevity in checks.
func (r Result) WithFact(key string, v any) Result {
	if r.Facts == nil {
		r.Facts = Facts{}
	}
	r.Facts[key] = v
	return r
}

// withEvidence sets the typed evidence and returns the result.
func (r Result) withEvidence(e any) Result {
	r.Evidence = e
	return r
}

// EvidenceOf returns r's typed evidence when it is a *T: how a check reads
// what another measured (never its Facts). ok is false when r carries none.
func EvidenceOf[T any](r Result) (*T, bool) {
	e, ok := r.Evidence.(*T)
	return e, ok && e != nil
}

// Result constructors; checks fill Facts afterwards.

func PassResult(id string, summary content.Text) Result {
	return Result{ID: id, Status: Pass, Summary: summary, Facts: Facts{}}
}

func WarnResult(id string, summary content.Text, remedies ...string) Result {
	return Result{ID: id, Status: Warn, Summary: summary, Facts: Facts{}, Remedies: remedies}
}

func FailResult(id string, summary content.Text, remedies ...string) Result {
	return Result{ID: id, Status: Fail, Summary: summary, Facts: Facts{}, Remedies: remedies}
}

func SkipResult(id string, summary content.Text) Result {
	return Result{ID: id, Status: Skip, Summary: summary, Facts: Facts{}}
}

func ErrorResult(id string, summary content.Text) Result {
	return Result{ID: id, Status: Error, Summary: summary, Facts: Facts{}}
}

// noDestination is the error result of a check run without the
// destinations its plan should have given (a bug, never the network).
func noDestination(id string) Result {
	return ErrorResult(id, content.Phrase("check.result.no_destination", nil))
}
