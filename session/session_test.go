package session

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/report"
)

// clock is a fake clock that moves one second per reading.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { c.t = c.t.Add(time.Second); return c.t }

func newTestSession(t *testing.T) (*Session, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 12, 4, 23, 9, 0, 0, time.UTC)}
	p := &profile.Profile{Server: profile.Server{Host: "s0123456789ab.u.biztel.jp", IP: "203.0.113.10"}, Channels: 10}
	return New(Config{Content: content.MustLoad(), Version: "test", Now: c.now}, p), c
}

func result(id string, st checks.Status, remedy string) checks.Result {
	r := checks.Result{ID: id, Status: st, Summary: content.T(string(st), string(st)), Facts: checks.Facts{}, Duration: time.Second}
	if remedy != "" {
		r.Remedies = []string{remedy}
	}
	return r
}

// run records one run of plan with the given results, as the runner would.
func run(s *Session, kind Kind, item string, rs ...checks.Result) {
	plan := &checks.Plan{}
	o := &checks.Outcome{Started: s.now(), Duration: time.Second}
	for _, r := range rs {
		plan.Checks = append(plan.Checks, r.ID)
	}
	s.Begin(plan, kind, item)
	for _, r := range rs {
		s.Event(checks.Event{Kind: checks.EventStarted, ID: r.ID, At: s.now()})
		s.Event(checks.Event{Kind: checks.EventFinished, ID: r.ID, Result: &r})
	}
	o.Results = rs
	s.End(o)
}

// TestChecklistKeepsNumbers: a verify that fixes item 1 keeps it as item 1,
// ticked, with its history; item 2 stays 2; a new item is appended as 3.
func TestChecklistKeepsNumbers(t *testing.T) {
	s, _ := newTestSession(t)
	run(s, KindFirst, "", result("sip.alg", checks.Fail, "disable-sip-alg"), result("sip.tls", checks.Fail, "allow-sip-tls"))
	before := s.Report(content.Ja, false).Checklist
	if len(before) != 2 || before[0].Number != 1 || before[1].Number != 2 {
		t.Fatalf("first checklist %+v", before)
	}
	first, second := before[0].ID, before[1].ID
	run(s, KindVerify, first, result(before[0].Verify[0], checks.Pass, ""))
	after := s.Report(content.Ja, false).Checklist
	if len(after) != 2 || after[0].ID != first || after[0].Number != 1 || after[1].ID != second || after[1].Number != 2 {
		t.Fatalf("after the verify the numbers moved: %+v", after)
	}
	if !after[0].Done || !after[0].Fixed || len(after[0].History) != 1 {
		t.Fatalf("fixed item not ticked or without history: %+v", after[0])
	}
	if h := after[0].History[0]; h.Before != checks.Fail || h.After != checks.Pass || h.Change != report.Fixed {
		t.Errorf("history %+v, want fail → pass", h)
	}
	run(s, KindRerun, "", result("ntp.hardphone", checks.Fail, "allow-ntp"))
	last := s.Report(content.Ja, false).Checklist
	if n := last[len(last)-1]; n.Number != 3 || last[0].Number != 1 || last[1].Number != 2 {
		t.Errorf("a new item is not appended as 3: %+v", last)
	}
}

// TestLatestRunDecidesHistoryKeepsEarlier: the status and the counts come
// from a check's latest run; the earlier one is in the history, and both
// are in the JSON.
func TestLatestRunDecidesHistoryKeepsEarlier(t *testing.T) {
	s, _ := newTestSession(t)
	run(s, KindFirst, "", result("sip.alg", checks.Fail, "disable-sip-alg"))
	run(s, KindRerun, "", result("sip.alg", checks.Pass, ""))
	rep := s.Report(content.En, false)
	if rep.ExitCode() != 0 || rep.Counts()[checks.Pass] != 1 || rep.Counts()[checks.Fail] != 0 {
		t.Fatalf("counts %v exit %d: not the latest run's", rep.Counts(), rep.ExitCode())
	}
	if h := rep.Runs["sip.alg"]; len(h) != 1 || h[0].Status != checks.Fail || h[0].Kind != "run" || h[0].Started.IsZero() {
		t.Fatalf("history %+v", h)
	}
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf, content.En, s.Content()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Checks []struct {
			ID        string `json:"id"`
			Status    string `json:"status"`
			StartedAt string `json:"started_at"`
			History   []struct {
				Status string `json:"status"`
			} `json:"history"`
		} `json:"checks"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, c := range doc.Checks {
		if c.ID == "sip.alg" && (c.Status != "pass" || len(c.History) != 1 || c.History[0].Status != "fail" || c.StartedAt == "") {
			t.Errorf("JSON check %+v", c)
		}
	}
}

// TestInterruptNamesEveryPlannedCheck: cutting a run short records every
// unfinished check, started or not, as error "interrupted", with the real
// start time and a duration.
func TestInterruptNamesEveryPlannedCheck(t *testing.T) {
	s, _ := newTestSession(t)
	plan, err := checks.MakePlan(s.Profile, checks.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	s.Begin(plan, KindFirst, "")
	first := plan.Checks[0]
	r := result(first, checks.Pass, "")
	s.Event(checks.Event{Kind: checks.EventStarted, ID: first, At: s.now()})
	s.Event(checks.Event{Kind: checks.EventFinished, ID: first, Result: &r})
	s.Event(checks.Event{Kind: checks.EventStarted, ID: plan.Checks[1], At: s.now()})
	s.Interrupt()
	rep := s.Report(content.En, false)
	if !rep.Interrupted || rep.StartedAt.IsZero() || rep.Duration <= 0 || rep.ExitCode() != 130 {
		t.Fatalf("interrupted %v started %v duration %v", rep.Interrupted, rep.StartedAt, rep.Duration)
	}
	if len(rep.Results) != len(s.Content().Checks) {
		t.Errorf("%d results, want every catalog check (%d)", len(rep.Results), len(s.Content().Checks))
	}
	for _, res := range rep.Results {
		switch {
		case res.ID == first && res.Status != checks.Pass:
			t.Errorf("%s finished before the signal: %s", res.ID, res.Status)
		case res.ID != first && !res.Excluded() && (res.Status != checks.Error || !strings.Contains(res.Summary.En, "interrupted")):
			t.Errorf("%s not finished: %s %q, want error interrupted", res.ID, res.Status, res.Summary.En)
		}
	}
}

// TestWithDependents: a re-run of a check takes what builds on it.
func TestWithDependents(t *testing.T) {
	s, _ := newTestSession(t)
	plan, _ := checks.MakePlan(s.Profile, checks.DefaultOptions())
	var dependent string
	for _, sp := range checks.Registry() {
		if len(sp.Needs) > 0 && strings.Contains(strings.Join(plan.Checks, ","), sp.ID) {
			dependent = sp.ID
			got := s.WithDependents(sp.Needs[0], plan.Checks)
			if got[0] == "" || !strings.Contains(strings.Join(got, ","), sp.ID) {
				t.Errorf("re-run of %s: %v lacks %s", sp.Needs[0], got, sp.ID)
			}
			break
		}
	}
	if dependent == "" {
		t.Fatal("no check in the plan needs another")
	}
	if got := s.WithDependents("net.ipv4", plan.Checks); len(got) == 0 || got[0] != "net.ipv4" {
		t.Errorf("re-run of net.ipv4: %v", got)
	}
}

// TestQuestionNotWaitingOnAFinishedCheck: a question whose check finished
// without settling it (an error here) is open for a hand answer, not
// "waiting" for a check that will not run again; before the check ran, and
// while it runs, it waits.
func TestQuestionNotWaitingOnAFinishedCheck(t *testing.T) {
	s, _ := newTestSession(t)
	s.Chosen = true
	n, ok := s.cfg.Content.Tree().Node("upnp")
	if !ok || n.Check != "upnp.igd" {
		t.Fatalf("tree node upnp: %+v", n)
	}
	if !s.Planned("upnp.igd") {
		t.Skip("upnp.igd is not in this profile's plan")
	}
	if _, src := s.Answer(n); src != FromWaiting {
		t.Errorf("before the run: %v, want waiting", src)
	}
	run(s, KindFirst, "", result("upnp.igd", checks.Error, ""))
	if a, src := s.Answer(n); a != "" || src != FromNone {
		t.Errorf("after an error: %q %v, want open (FromNone), not waiting", a, src)
	}
}
