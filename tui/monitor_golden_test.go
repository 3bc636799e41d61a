package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/monitor"
)

// monitorScreen opens the monitor over a recorded state: 40 windows with
// a loss burst, and events of every kind with their real summaries.
func monitorScreen(t *testing.T, lang content.Lang, w, h int, path string) *driver {
	t.Helper()
	m := New(Config{Lang: lang, NoColor: true, Demo: path == "", Version: "test", OutDir: "/srv/reports",
		Now: func() time.Time { return fixedNow }})
	d := newDriverFor(t, m, 0)
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	c := m.sh.c
	f := func(v float64) *float64 { return &v }
	var ws []monitor.Window
	for i := range 40 {
		loss, jit, rtt := 0.0, 2.0+float64(i%3), 20.0+float64(i%5)
		if i >= 30 && i < 33 {
			loss, jit, rtt = 12.5, 18.0, 95.0
		}
		ws = append(ws, monitor.Window{Start: fixedNow.Add(time.Duration(i) * 5 * time.Second), Seconds: 5,
			Method: monitor.MethodReflector, LossPct: loss, JitterMs: f(jit), RTTMs: f(rtt)})
	}
	sum := func(key string, vars map[string]string) content.Text { return c.UI[key].Fill(vars) }
	at := func(s int) time.Time { return fixedNow.Add(time.Duration(s) * time.Second) }
	evs := []monitor.Event{
		{Kind: monitor.KindQuality, Start: at(150), Seconds: 15, Summary: sum("monitor.event.quality",
			map[string]string{"loss": "12.5", "jitter": "18.0 ms", "rtt": "95.0 ms", "mos": "3.1"})},
		{Kind: monitor.KindOutage, Start: at(160), Seconds: 4.2, Summary: sum("monitor.event.outage", nil)},
		{Kind: monitor.KindSIP, Start: at(170), Seconds: 30, Summary: sum("monitor.event.sip", map[string]string{"server": "203.0.113.10:5060"})},
		{Kind: monitor.KindMapping, Start: at(180), Seconds: 0, Summary: sum("monitor.event.mapping",
			map[string]string{"old": "203.0.113.9:3007", "new": "203.0.113.9:41022"})},
		{Kind: monitor.KindReflector, Start: at(190), Seconds: 10, Summary: sum("monitor.event.reflector", nil)},
		{Kind: monitor.KindGap, Start: at(195), Seconds: 12, Summary: sum("monitor.event.gap", map[string]string{"secs": "12"})},
	}
	run := &monitorRun{path: path}
	m.mon = &monitorModel{sh: m.sh, run: run, cfg: monitor.Config{Window: 5 * time.Second, Duration: time.Hour},
		windows: ws, events: evs, live: monitor.Live{Elapsed: 200 * time.Second, Method: monitor.MethodReflector}}
	return d
}

// TestGoldenMonitorScreen pins the monitor screen at 80×24 and 60×20 in
// ja and en, with more events than fit, as a demo (no file) and with the
// record's path. Every body line fits the width and the body fits its
// height: nothing is clipped or pushed below the fold (issue 14).
func TestGoldenMonitorScreen(t *testing.T) {
	path := "/srv/reports/biztel-doctor-monitor-20261124-100000.json"
	for _, lang := range []content.Lang{content.Ja, content.En} {
		for _, size := range [][2]int{{80, 24}, {60, 20}} {
			for _, p := range []string{"", path} {
				d := monitorScreen(t, lang, size[0], size[1], p)
				name := fmt.Sprintf("monitor_%s_%dx%d", lang, size[0], size[1])
				if p != "" {
					name += "_file"
				}
				golden(t, name, d.screen())
				body := strings.Split(ansi.Strip(d.m.mon.view()), "\n")
				if len(body) > d.m.sh.bodyHeight() {
					t.Errorf("%s: the body is %d lines, the screen has room for %d", name, len(body), d.m.sh.bodyHeight())
				}
				for i, l := range body {
					if ansi.StringWidth(l) > d.m.sh.bodyWidth() {
						t.Errorf("%s line %d is %d wide: %q", name, i+1, ansi.StringWidth(l), l)
					}
				}
				scr := d.screen()
				for _, want := range []string{d.m.sh.L("monitor.kind.gap"), d.m.sh.L("monitor.loss"), d.m.sh.L("key.quit")} {
					if !strings.Contains(scr, want) {
						t.Errorf("%s: the screen lacks %q:\n%s", name, want, scr)
					}
				}
			}
		}
	}
}

// TestMonitorFooterAndHelpSayItsKeys: while watching, the footer offers
// Esc (stop and go back) and no step key (1-8 do nothing there), and ?
// explains the monitor, not the step under it.
func TestMonitorFooterAndHelpSayItsKeys(t *testing.T) {
	for _, lang := range []content.Lang{content.Ja, content.En} {
		d := monitorScreen(t, lang, 80, 24, "")
		sh := d.m.sh
		scr := d.screen()
		foot := scr[strings.LastIndex(scr, "---\n")+4:]
		if !strings.Contains(foot, "Esc "+sh.L("monitor.stop")) || strings.Contains(foot, sh.L("key.jump")) ||
			strings.Contains(foot, sh.L("monitor.key")) {
			t.Errorf("%s: the monitor's footer is %q", lang, foot)
		}
		d.press("?")
		d.mustShow(sh.L("monitor.title"), "Esc", sh.L("monitor.stop"))
		if strings.Contains(d.screen(), sh.L("help.step.start")[:12]) {
			t.Errorf("%s: ? over the monitor explains the start step:\n%s", lang, d.screen())
		}
	}
}
