package checks

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// testSpec builds a spec with a fixed result.
func testSpec(id string, st Status, opts ...func(*Spec)) Spec {
	s := Spec{ID: id, Timeout: time.Second, Run: func(context.Context, *Input) Result {
		r := Result{ID: id, Status: st, Summary: content.T(id, id)}
		if st == Warn || st == Fail {
			r.Remedies = []string{"allow-sip-udp"}
		}
		return r
	}}
	for _, o := range opts {
		o(&s)
	}
	return s
}

func needs(ids ...string) func(*Spec)    { return func(s *Spec) { s.Needs = ids } }
func needsAny(ids ...string) func(*Spec) { return func(s *Spec) { s.NeedsAny = ids } }

func runSpecs(t *testing.T, ctx context.Context, opt Options, specs ...Spec) (*Outcome, []Event) {
	t.Helper()
	plan, err := makePlan(&profile.Profile{Server: profile.Server{IP: "127.0.0.1"}}, opt, specs)
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan Event, 64)
	var events []Event
	done := make(chan struct{})
	go func() {
		for ev := range ch {
			events = append(events, ev)
		}
		close(done)
	}()
	out := Run(ctx, plan, &Env{}, ch)
	<-done
	return out, events
}

func resultByID(out *Outcome, id string) Result {
	for _, r := range out.Results {
		if r.ID == id {
			return r
		}
	}
	return Result{}
}

func TestRunPrerequisites(t *testing.T) {
	out, events := runSpecs(t, context.Background(), DefaultOptions(),
		testSpec("a", Fail),
		testSpec("b", Pass),
		testSpec("needs-a", Pass, needs("a")),
		testSpec("needs-b", Pass, needs("b")),
		testSpec("any-ab", Pass, needsAny("a", "b")),
		testSpec("any-a", Pass, needsAny("a")),
	)
	want := map[string]Status{"a": Fail, "b": Pass, "needs-a": Skip, "needs-b": Pass, "any-ab": Pass, "any-a": Skip}
	for id, st := range want {
		if got := resultByID(out, id).Status; got != st {
			t.Errorf("%s: status %s, want %s", id, got, st)
		}
	}
	if r := resultByID(out, "needs-a"); r.SkippedBecause != "a" || r.Facts["prerequisite"] != "a" {
		t.Errorf("needs-a must name its prerequisite: %+v", r)
	}
	finished := 0
	for _, ev := range events {
		if ev.Kind == EventFinished {
			finished++
		}
	}
	if finished != 6 {
		t.Errorf("%d finished events, want 6", finished)
	}
	if out.Interrupted {
		t.Error("not interrupted")
	}
}

func TestRunInterruptedKeepsFinishedResults(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	blocker := Spec{ID: "blocks", Timeout: time.Minute, Run: func(ctx context.Context, _ *Input) Result {
		close(started)
		<-ctx.Done()
		// a check that sees the cancel reports a timeout-like failure; the
		// runner must record "interrupted" instead of this
		return FailResult("blocks", content.T("timeout", "timeout"), "allow-sip-udp")
	}}
	go func() { <-started; cancel() }()
	out, _ := runSpecs(t, ctx, DefaultOptions(), testSpec("quick", Pass), blocker, testSpec("after", Pass, needs("blocks")))
	if !out.Interrupted {
		t.Fatal("outcome not marked interrupted")
	}
	if r := resultByID(out, "blocks"); r.Status != Error || r.Summary.En != "interrupted" {
		t.Errorf("blocking check: %s %q, want error interrupted", r.Status, r.Summary.En)
	}
	if r := resultByID(out, "after"); r.Status != Error || r.Summary.En != "interrupted" {
		t.Errorf("waiting check: %s %q, want error interrupted", r.Status, r.Summary.En)
	}
	if r := resultByID(out, "quick"); r.Status != Pass && r.Summary.En != "interrupted" {
		t.Errorf("quick check: %s", r.Status)
	}
	if len(out.Results) != 3 {
		t.Errorf("%d results, want one per planned check", len(out.Results))
	}
}

func TestRunPanicAndOverrunBecomeErrors(t *testing.T) {
	panics := Spec{ID: "panics", Timeout: time.Second, Run: func(context.Context, *Input) Result { panic("boom") }}
	var stop atomic.Bool
	overrun := Spec{ID: "overrun", Timeout: 10 * time.Millisecond, Run: func(ctx context.Context, _ *Input) Result {
		for !stop.Load() { // ignores its context on purpose
			time.Sleep(time.Millisecond)
		}
		return PassResult("overrun", content.T("late", "late"))
	}}
	defer stop.Store(true)
	empty := Spec{ID: "empty", Timeout: time.Second, Run: func(context.Context, *Input) Result { return Result{} }}
	out, _ := runSpecs(t, context.Background(), DefaultOptions(), panics, overrun, empty)
	for _, id := range []string{"panics", "overrun", "empty"} {
		if r := resultByID(out, id); r.Status != Error {
			t.Errorf("%s: %s (%q), want error", id, r.Status, r.Summary.En)
		}
	}
}

func TestRunNeverPassesWhatDidNotRun(t *testing.T) {
	// a long check without --long, and a plan skip
	long := testSpec("long", Pass, func(s *Spec) { s.Long = true })
	planned := testSpec("off", Pass, func(s *Spec) {
		s.Plan = func(*profile.Profile, Options) ([]Destination, content.Text) {
			return nil, content.T("機能オフ", "option off")
		}
	})
	out, _ := runSpecs(t, context.Background(), DefaultOptions(), long, planned)
	for _, id := range []string{"long", "off"} {
		if r := resultByID(out, id); r.Status != Skip || r.Summary.IsZero() {
			t.Errorf("%s: %s %q, want skip with a reason", id, r.Status, r.Summary.En)
		}
	}
	opt := DefaultOptions()
	opt.Only = []string{"long"}
	out, _ = runSpecs(t, context.Background(), opt, long, planned)
	if r := resultByID(out, "long"); r.Status != Pass {
		t.Errorf("long named in --only must run: %s", r.Status)
	}
	if len(out.Results) != 1 {
		t.Errorf("--only long ran %d checks", len(out.Results))
	}
}

func TestPlanOnlyAddsPrerequisitesAndRefusesUnknown(t *testing.T) {
	specs := []Spec{testSpec("a", Pass), testSpec("b", Pass, needs("a")), testSpec("c", Pass)}
	opt := DefaultOptions()
	opt.Only = []string{"b"}
	plan, err := makePlan(&profile.Profile{}, opt, specs)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(plan.Checks, []string{"a", "b"}) {
		t.Errorf("checks %v, want [a b]", plan.Checks)
	}
	opt.Only = []string{"nope"}
	_, err = makePlan(&profile.Profile{}, opt, specs)
	var ue *UnknownCheckError
	if err == nil || !errorAs(err, &ue) || ue.ID != "nope" || len(ue.Valid) != 3 {
		t.Errorf("unknown id: %v", err)
	}
	opt.Only, opt.Skip = nil, []string{"c"}
	plan, _ = makePlan(&profile.Profile{}, opt, specs)
	if slices.Contains(plan.Checks, "c") {
		t.Error("--skip c still planned c")
	}
}

// The overall deadline must leave room for every check's own budget.
func TestOverallDeadlineCoversEveryCheck(t *testing.T) {
	for _, opt := range []Options{DefaultOptions(), func() Options { o := DefaultOptions(); o.Long = true; return o }()} {
		plan, err := MakePlan(&profile.Profile{Server: profile.Server{IP: "192.0.2.1"}}, opt)
		if err != nil {
			t.Fatal(err)
		}
		overall := OverallTimeout(plan)
		for _, s := range Registry() {
			if _, skipped := plan.Skipped[s.ID]; skipped || !slices.Contains(plan.Checks, s.ID) {
				continue
			}
			if d := s.timeout(opt); d >= overall {
				t.Errorf("%s: timeout %s not shorter than the overall deadline %s", s.ID, d, overall)
			}
		}
		if !opt.Long && overall > 5*time.Minute {
			t.Errorf("overall deadline %s without --long: a skipped long check stretches every run", overall)
		}
	}
	if DefaultCheckTimeout >= OverallDeadline {
		t.Error("DefaultCheckTimeout must be shorter than OverallDeadline")
	}
}

func TestRegistryMatchesCatalog(t *testing.T) {
	want := []string{"net.ipv4", "net.link", "net.proxy", "dns.mgmt", "stun.3478", "stun.3479", "nat.mapping", "nat.timer",
		"sip.udp", "sip.alg", "sip.size", "sip.tls", "sip.wss", "web.8000", "rtp.range", "media.quality", "media.bandwidth",
		"ftps.control", "ftps.passive", "ntp.hardphone", "upnp.igd"}
	got := IDs()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("catalog ids %v, want design.md §4's %v", got, want)
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	for id := range registered {
		if !slices.Contains(want, id) {
			t.Errorf("registered check %q is not in the catalog", id)
		}
	}
}
