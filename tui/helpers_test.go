package tui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// updating reports -update, the flag x/exp/golden (imported with teatest)
// registers: it rewrites testdata/*.golden.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// fixedNow is the clock of every test: screens show no real time.
var fixedNow = time.Date(2026, 11, 24, 1, 0, 0, 0, time.UTC)

// fakeRunner answers every planned check with the given result (pass when
// not given), as the real runner would: Started then Finished, skips from
// the plan, samples for media.quality.
func fakeRunner(results map[string]checks.Result) Runner {
	return func(ctx context.Context, plan *checks.Plan, env *checks.Env, ch chan<- checks.Event) *checks.Outcome {
		out := &checks.Outcome{Started: fixedNow, Duration: 3 * time.Second}
		for _, id := range plan.Checks {
			r, ok := results[id]
			switch {
			case plan.Skipped[id] != (content.Text{}):
				r = checks.SkipResult(id, plan.Skipped[id])
				if sp, _ := checks.Lookup(id); sp.Long && !plan.Options.Long && !slices.Contains(plan.Options.Only, id) {
					r.SkippedBecause = checks.ExcludedByLong // as the runner marks it
				}
			case !ok:
				r = checks.PassResult(id, content.T("問題ありません", "fine"))
			}
			r.ID = id
			if r.Status != checks.Skip {
				r.Duration = 120 * time.Millisecond
			}
			if ctx.Err() != nil {
				r = checks.ErrorResult(id, content.T("中断されました", "interrupted"))
				out.Interrupted = true
			} else {
				ch <- checks.Event{Kind: checks.EventStarted, ID: id, At: fixedNow}
				if id == "media.quality" {
					for i := 1; i <= 5; i++ {
						ch <- checks.Event{Kind: checks.EventSample, ID: id, Sample: &checks.Sample{ID: id,
							RTT: time.Duration(10+i) * time.Millisecond, Jitter: time.Duration(i) * time.Millisecond}}
					}
				}
			}
			rr := r
			ch <- checks.Event{Kind: checks.EventFinished, ID: id, At: fixedNow, Result: &rr}
			out.Results = append(out.Results, r)
		}
		close(ch)
		return out
	}
}

func testProfile(vpn bool) *profile.Profile {
	p := &profile.Profile{Server: profile.Server{Host: "s0123456789ab.u.biztel.jp", IP: "203.0.113.10"},
		STUN: profile.STUN{Servers: []string{"198.51.100.20:3478", "198.51.100.21:3479"}}, Channels: 10}
	if vpn {
		p.Server.VPNIP = "10.0.0.10"
	}
	return p
}

// driver runs the root model without a terminal: it sends messages, runs
// the commands they return (batches too) and feeds their messages back,
// leaving out the spinner's timer.
type driver struct {
	t    *testing.T
	m    *Model
	wait time.Duration // how long a command may take; 0: cmdWait
}

func newDriverFor(t *testing.T, m *Model, wait time.Duration) *driver {
	d := &driver{t: t, m: m, wait: wait}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	return d
}

func newDriver(t *testing.T, lang content.Lang, p *profile.Profile, results map[string]checks.Result) *driver {
	t.Helper()
	m := New(Config{Lang: lang, NoColor: true, Profile: p, Runner: fakeRunner(results), Env: &checks.Env{},
		Version: "test", OutDir: t.TempDir(), Now: func() time.Time { return fixedNow }})
	d := &driver{t: t, m: m}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	return d
}

func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	queue := []tea.Msg{msg}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			d.t.Fatal("message loop does not settle")
		}
		msg, queue = queue[0], queue[1:]
		_, cmd := d.m.Update(msg)
		queue = append(queue, runCmd(cmd, d.wait)...)
	}
}

// cmdWait is how long the driver waits for a command; the flow's commands
// (fake runs, file writes) return at once, timers do not.
const cmdWait = 100 * time.Millisecond

// runCmd executes a command and returns its messages, dropping spinner ticks
// (their timer would re-arm forever).
func runCmd(cmd tea.Cmd, wait time.Duration) []tea.Msg {
	if cmd == nil {
		return nil
	}
	if wait == 0 {
		wait = cmdWait
	}
	got := make(chan tea.Msg, 1)
	go func() { got <- cmd() }()
	var m tea.Msg
	select {
	case m = <-got:
	case <-time.After(wait):
		return nil // a timer (cursor blink): not part of the flow
	}
	switch msg := m.(type) {
	case nil, spinner.TickMsg:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, runCmd(c, wait)...)
		}
		return out
	default:
		if _, quit := msg.(tea.QuitMsg); quit {
			return nil
		}
		return []tea.Msg{msg}
	}
}

// press sends keys: names like "enter", "down", "esc", "space", or single
// characters.
func (d *driver) press(keys ...string) {
	d.t.Helper()
	for _, k := range keys {
		d.send(keyMsg(k))
	}
}

func (d *driver) typeText(s string) {
	d.t.Helper()
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "home":
		return tea.KeyPressMsg{Code: tea.KeyHome}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(k)[0]
	return tea.KeyPressMsg{Code: r, Text: k}
}

// screen is the current frame without ANSI codes.
func (d *driver) screen() string { return ansi.Strip(d.m.View().Content) }

func (d *driver) mustShow(wants ...string) {
	d.t.Helper()
	s := d.screen()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			d.t.Fatalf("screen does not show %q:\n%s", w, s)
		}
	}
}

func (d *driver) mustNotShow(w string) {
	d.t.Helper()
	if s := d.screen(); strings.Contains(s, w) {
		d.t.Fatalf("screen shows %q:\n%s", w, s)
	}
}

// golden compares the screen with testdata/name.golden (-update rewrites).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("screen %s differs from %s (go test ./tui -update rewrites it)\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}

// resultsOf is the session's latest result of every check, by id.
func resultsOf(sh *shared) map[string]checks.Result {
	out := map[string]checks.Result{}
	for _, r := range sh.resultsInOrder() {
		out[r.ID] = r
	}
	return out
}
