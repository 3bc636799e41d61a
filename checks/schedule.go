package checks

import (
	"slices"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
)

// The order of a run. Most checks send a handful of packets and run side by
// side. A check that loads the line (media.bandwidth; rtp.range's full
// sweep) would make the path measurements beside it — media.quality,
// rtp.range, sip.alg — report the tool's own load as the line's loss, so it
// runs alone: after every light check has finished, one such check at a
// time. Long checks (nat.timer) start after the alone ones, so the load
// never drops the one packet a NAT-timer rung waits for; without an alone
// check they start at once, beside the light checks.

// typicalLight is the expected duration of a check that names none: a few
// round trips, or its own timeout against a silent destination.
const typicalLight = time.Second

// StageKind says how the checks of a Stage run.
type StageKind int

const (
	StageTogether StageKind = iota // side by side (light checks)
	StageAlone                     // one check by itself
	StageLong                      // long checks, after every alone stage
)

// Stage is one step of a run's order.
type Stage struct {
	Kind   StageKind
	Checks []string
	// Why the check runs alone (StageAlone), in both languages.
	Why content.Text
	// Expected is the stage's typical duration, Budget its longest (the
	// checks' timeouts): side-by-side checks take the longest of theirs,
	// alone checks their own.
	Expected, Budget time.Duration
}

// expect returns a spec's typical duration under opt.
func (s Spec) expect(opt Options) time.Duration {
	if s.Expect != nil {
		return s.Expect(opt)
	}
	return min(typicalLight, s.timeout(opt))
}

// aloneWhy returns why s runs alone under opt; zero when it does not.
func (s Spec) aloneWhy(opt Options) content.Text {
	if s.Alone == nil {
		return content.Text{}
	}
	return s.Alone(opt)
}

// Schedule returns the order the runner follows: the light checks
// together, then each alone check in plan order, then the long checks.
// Checks the plan skips send nothing and are in no stage.
func (p *Plan) Schedule() []Stage {
	together := Stage{Kind: StageTogether}
	long := Stage{Kind: StageLong}
	var alone []Stage
	for _, id := range p.Runs() {
		s := p.specs[id]
		exp, budget := s.expect(p.Options), s.timeout(p.Options)
		switch why := s.aloneWhy(p.Options); {
		case !why.IsZero():
			alone = append(alone, Stage{Kind: StageAlone, Checks: []string{id}, Why: why, Expected: exp, Budget: budget})
		case s.Long:
			long.add(id, exp, budget)
		default:
			together.add(id, exp, budget)
		}
	}
	var out []Stage
	for _, st := range append(append([]Stage{together}, alone...), long) {
		if len(st.Checks) > 0 {
			out = append(out, st)
		}
	}
	return out
}

func (st *Stage) add(id string, exp, budget time.Duration) {
	st.Checks = append(st.Checks, id)
	st.Expected, st.Budget = max(st.Expected, exp), max(st.Budget, budget)
}

// Duration returns a run's total expected time and its longest (every
// check taking its whole budget). Stages follow each other, except that
// long checks start beside the light ones when nothing runs alone.
func (p *Plan) Duration() (expected, longest time.Duration) {
	stages := p.Schedule()
	anyAlone := false
	for _, st := range stages {
		anyAlone = anyAlone || st.Kind == StageAlone
	}
	for _, st := range stages {
		if st.Kind == StageLong && !anyAlone {
			// beside the light stage, the only one before it
			expected, longest = max(expected, st.Expected), max(longest, st.Budget)
			continue
		}
		expected, longest = expected+st.Expected, longest+st.Budget
	}
	return expected, longest
}

// gates returns, per planned check, the checks it must wait for beyond its
// prerequisites so the run follows Schedule. A check never waits for one
// that waits for it (a light check listing an alone one in After).
func (p *Plan) gates() map[string][]string {
	out := map[string][]string{}
	var light, alone []string
	for _, st := range p.Schedule() {
		switch st.Kind {
		case StageTogether:
			light = st.Checks
		case StageAlone:
			id := st.Checks[0]
			out[id] = withoutDependents(p, append(slices.Clone(light), alone...), id)
			alone = append(alone, id)
		case StageLong:
			for _, id := range st.Checks {
				out[id] = withoutDependents(p, alone, id)
			}
		}
	}
	return out
}

// withoutDependents returns ids less those that list id as a prerequisite.
func withoutDependents(p *Plan, ids []string, id string) []string {
	var out []string
	for _, other := range ids {
		if !slices.Contains(p.specs[other].deps(), id) {
			out = append(out, other)
		}
	}
	return out
}
