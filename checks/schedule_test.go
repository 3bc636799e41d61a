package checks

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// lightAfterHeavy marks a fake light check that waits for a heavy one, so
// it is not part of the light barrier.
const lightAfterHeavy StageKind = -1

// runLog records the order in which fake checks start and end.
type runLog struct {
	mu     sync.Mutex
	events []string // "+id" at start, "-id" at end
	light  sync.WaitGroup
}

func (l *runLog) add(ev string) {
	l.mu.Lock()
	l.events = append(l.events, ev)
	l.mu.Unlock()
}

// spec returns a fake check that logs its start and end. Light ones wait
// until every light check has started, so they prove they still run side
// by side (a serialised run would time out into an error).
func (l *runLog) spec(id string, kind StageKind, opts ...func(*Spec)) Spec {
	if kind == StageTogether {
		l.light.Add(1)
	}
	s := testSpec(id, Pass, opts...)
	s.Run = func(ctx context.Context, _ *Input) Result {
		l.add("+" + id)
		defer l.add("-" + id)
		if kind == StageTogether {
			l.light.Done()
			waited := make(chan struct{})
			go func() { l.light.Wait(); close(waited) }()
			select {
			case <-waited:
			case <-ctx.Done():
				return ErrorResult(id, content.T("並行せず", "not side by side"))
			}
		}
		return PassResult(id, content.T(id, id))
	}
	switch kind {
	case StageAlone:
		s.Alone = func(Options) content.Text { return content.T("単独", "alone") }
	case StageLong:
		s.Long = true
	}
	return s
}

// at returns the index of ev in the log.
func (l *runLog) at(t *testing.T, ev string) int {
	t.Helper()
	i := slices.Index(l.events, ev)
	if i < 0 {
		t.Fatalf("%s never happened: %v", ev, l.events)
	}
	return i
}

// TestAloneChecksRunByThemselves: heavy checks run after every light check,
// one at a time, with nothing beside them; long checks start after them; a
// light check that waits for a heavy one (After) does not deadlock.
func TestAloneChecksRunByThemselves(t *testing.T) {
	l := &runLog{}
	after := func(ids ...string) func(*Spec) { return func(s *Spec) { s.After = ids } }
	specs := []Spec{
		l.spec("quality", StageTogether),
		l.spec("bandwidth", StageAlone),
		l.spec("sip", StageTogether),
		l.spec("sweep", StageAlone),
		l.spec("timer", StageLong),
		l.spec("range", StageTogether),
		l.spec("reads-bandwidth", lightAfterHeavy, after("bandwidth")),
	}
	opt := DefaultOptions()
	opt.Long = true
	out, _ := runSpecs(t, context.Background(), opt, specs...)
	for _, r := range out.Results {
		if r.Status != Pass {
			t.Errorf("%s: %s %s", r.ID, r.Status, r.Summary.En)
		}
	}
	lastLight := max(l.at(t, "-quality"), l.at(t, "-sip"), l.at(t, "-range"))
	for _, heavy := range []string{"bandwidth", "sweep"} {
		start, end := l.at(t, "+"+heavy), l.at(t, "-"+heavy)
		if start < lastLight {
			t.Errorf("%s started before the light checks ended: %v", heavy, l.events)
		}
		if end != start+1 {
			t.Errorf("something ran beside %s: %v", heavy, l.events[start:end+1])
		}
	}
	if l.at(t, "+sweep") < l.at(t, "-bandwidth") {
		t.Errorf("the alone checks overlapped: %v", l.events)
	}
	if l.at(t, "+timer") < l.at(t, "-sweep") || l.at(t, "+reads-bandwidth") < l.at(t, "-bandwidth") {
		t.Errorf("long check or dependent started too early: %v", l.events)
	}
}

// TestScheduleStagesAndDuration: the plan's order and its time estimate.
func TestScheduleStagesAndDuration(t *testing.T) {
	timed := func(exp, budget time.Duration) func(*Spec) {
		return func(s *Spec) {
			s.Timeout = budget
			s.Expect = func(Options) time.Duration { return exp }
		}
	}
	l := &runLog{}
	specs := []Spec{
		l.spec("a", StageTogether, timed(10*time.Second, 18*time.Second)),
		l.spec("b", StageTogether, timed(time.Second, 5*time.Second)),
		l.spec("heavy", StageAlone, timed(6*time.Second, 13*time.Second)),
		l.spec("timer", StageLong, timed(100*time.Second, 200*time.Second)),
	}
	opt := DefaultOptions()
	opt.Long = true
	plan, err := makePlan(&profile.Profile{Server: profile.Server{IP: "127.0.0.1"}}, opt, specs)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, st := range plan.Schedule() {
		got = append(got, st.Checks)
	}
	want := [][]string{{"a", "b"}, {"heavy"}, {"timer"}}
	if !slices.EqualFunc(got, want, slices.Equal[[]string]) {
		t.Errorf("stages %v, want %v", got, want)
	}
	if exp, longest := plan.Duration(); exp != 116*time.Second || longest != 231*time.Second {
		t.Errorf("duration %v (longest %v), want 116s (231s)", exp, longest)
	}
	if d := OverallTimeout(plan); d != 241*time.Second {
		t.Errorf("overall deadline %v, want 241s", d)
	}
	// without an alone check the long one runs beside the light ones
	plan, _ = makePlan(plan.Profile, Options{Long: true, Skip: []string{"heavy"}}, specs)
	if exp, longest := plan.Duration(); exp != 100*time.Second || longest != 200*time.Second {
		t.Errorf("without an alone check: %v (%v), want 100s (200s)", exp, longest)
	}
}

// TestHeavyChecksAreAlone: the catalog marks media.bandwidth alone always
// and rtp.range only for the full sweep.
func TestHeavyChecksAreAlone(t *testing.T) {
	p := &profile.Profile{Server: profile.Server{IP: "192.0.2.1"}, Reflector: profile.Reflector{Addr: "192.0.2.2"}}
	for _, full := range []bool{false, true} {
		opt := DefaultOptions()
		opt.RTPFull = full
		plan, err := MakePlan(p, opt)
		if err != nil {
			t.Fatal(err)
		}
		var alone []string
		for _, st := range plan.Schedule() {
			if st.Kind == StageAlone {
				alone = append(alone, st.Checks...)
				if st.Why.Ja == "" || st.Why.En == "" {
					t.Errorf("%v runs alone without saying why in both languages", st.Checks)
				}
			}
		}
		want := []string{"media.bandwidth"}
		if full {
			want = []string{"rtp.range", "media.bandwidth"}
		}
		if !slices.Equal(alone, want) {
			t.Errorf("rtp-full=%v: alone %v, want %v", full, alone, want)
		}
	}
}
