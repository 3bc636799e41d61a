package checks

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Spec is one check of the catalog. Each check lives in its own file and
// registers its Spec in init.
type Spec struct {
	ID string
	// Timeout bounds one run; TimeoutFor, when set, computes it from the run
	// options instead (media.quality, nat.timer).
	Timeout    time.Duration
	TimeoutFor func(Options) time.Duration
	// Needs: skip (naming it) unless every one of these passed or warned.
	Needs []string
	// NeedsAny: skip unless at least one of these passed or warned.
	NeedsAny []string
	// After: wait for these and see their results, without skipping.
	After []string
	// Long checks run only with --long or when named in --only.
	Long bool
	// KeepOnCancel: what the check returns when its run is cancelled is
	// still true and is kept (nat.timer keeps the idle times its rungs
	// proved); other checks become error "interrupted", as their result
	// may reflect the cancel rather than the network.
	KeepOnCancel bool
	// Salvage, when set, is what a run cut short proved, from the last
	// rungs it reported (see Salvage): for a way out that cannot wait.
	Salvage func(rungs []Rung, opt Options, took time.Duration) Result
	// Alone, when it returns a reason under the run options, makes the
	// check run by itself (see schedule.go): after every light check, one
	// such check at a time, and before the long checks start. Heavy load on
	// a line that cannot carry it would otherwise show up as loss in the
	// path measurements running beside it. nil: never alone.
	Alone func(Options) content.Text
	// Expect is the check's typical duration under the run options, for
	// the plan's time estimate; nil: a light check (typicalLight).
	Expect func(Options) time.Duration
	// Remedies lists every remedy id the check may emit (tests hold it to it).
	Remedies []string
	// Plan returns the destinations for a profile, or why the check does not
	// apply (option off, destination missing). Pure. nil: a local check.
	Plan func(p *profile.Profile, opt Options) ([]Destination, content.Text)
	// Run performs the check. It must return by ctx's deadline.
	Run func(ctx context.Context, in *Input) Result
}

// Input is what a check gets to run.
type Input struct {
	Profile *profile.Profile
	Options Options
	Targets []Destination     // this check's destinations from the plan
	Deps    map[string]Result // results of Needs, NeedsAny and After
	Env     *Env
	Content *content.Content
	// Sample streams live measurements (media.quality's RTT/jitter) to the
	// UI; never nil.
	Sample func(Sample)
}

// Sample is one live measurement of a running check.
type Sample struct {
	ID       string
	RTT      time.Duration
	Jitter   time.Duration
	Lost     bool
	Progress float64 // 0..1 of the check's planned work, when known
	// Rungs is nat.timer's ladder as it stands: each idle time, when it
	// answers and what it proved so far; nil for other checks.
	Rungs []Rung
}

// Rung is one idle time of nat.timer's ladder.
type Rung struct {
	Idle  time.Duration
	Due   time.Time // when its answer is expected (armed + idle + grace)
	State string    // RungWaiting, RungSurvived, RungExpired, RungCut
	// OtherPort: a packet from the reflector's other port reached the
	// mapping too (endpoint-independent filtering); only when survived.
	OtherPort bool
}

// Rung states.
const (
	RungWaiting  = "waiting"
	RungSurvived = "survived" // the mapping outlived the idle time
	RungExpired  = "expired"  // it did not
	RungCut      = "cut"      // ended early (a shorter one expired, or cancelled): no evidence
)

func (s Spec) deps() []string {
	out := append([]string{}, s.Needs...)
	out = append(out, s.NeedsAny...)
	return append(out, s.After...)
}

// timeout returns the check's budget under opt.
func (s Spec) timeout(opt Options) time.Duration {
	if s.TimeoutFor != nil {
		return s.TimeoutFor(opt)
	}
	if s.Timeout > 0 {
		return s.Timeout
	}
	return DefaultCheckTimeout
}

// DefaultCheckTimeout is the budget of a check that names none: long enough
// for RFC 3261 timer A retransmissions of a few packets, short enough that a
// dead port does not hold the run.
const DefaultCheckTimeout = 5 * time.Second

var (
	registryMu sync.Mutex
	registered = map[string]Spec{}
)

// register adds a check; called from init of the check's file.
func register(s Spec) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registered[s.ID]; dup {
		panic("checks: registered twice: " + s.ID)
	}
	if s.Plan != nil && !slices.Contains(s.Remedies, remedyIPv4Required) {
		// every check that contacts something may find no route (noroute.go)
		s.Remedies = append(slices.Clip(s.Remedies), remedyIPv4Required)
	}
	registered[s.ID] = s
}

// Registry returns every catalog check in catalog order. A catalog id whose
// probe is not built yet gets a stub that reports error "not implemented",
// never pass.
func Registry() []Spec {
	c := content.MustLoad()
	registryMu.Lock()
	defer registryMu.Unlock()
	out := make([]Spec, 0, len(c.Checks))
	for _, ci := range c.Checks {
		if s, ok := registered[ci.ID]; ok {
			out = append(out, s)
			continue
		}
		out = append(out, notImplemented(ci.ID))
	}
	return out
}

// Lookup returns the spec of one check.
func Lookup(id string) (Spec, bool) {
	for _, s := range Registry() {
		if s.ID == id {
			return s, true
		}
	}
	return Spec{}, false
}

// IDs lists the catalog ids in order.
func IDs() []string {
	specs := Registry()
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.ID
	}
	return out
}

func notImplemented(id string) Spec {
	return Spec{
		ID:      id,
		Timeout: time.Second,
		Run: func(context.Context, *Input) Result {
			return ErrorResult(id, content.Phrase("check.engine.not_implemented", nil))
		},
	}
}
