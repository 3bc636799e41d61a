package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/demo"
	"github.com/biztel-tools/biztel-doctor/monitor"
)

// TestMonitorScreenRuns: w on the start screen opens the monitor against
// the demo's intermittent site, the charts and the event list fill in as
// windows finish, the end is said, and Esc goes back to the step.
func TestMonitorScreenRuns(t *testing.T) {
	setup := func(ctx context.Context, cfg monitor.Config) (monitor.Config, func(), error) {
		site, err := demo.StartMonitor(ctx, nil)
		if err != nil {
			return cfg, nil, err
		}
		cfg.Profile, cfg.Env, cfg.Ports = site.Profile, site.Env, site.Options.Ports
		cfg.Window, cfg.Duration = time.Second, 3*time.Second
		return cfg, site.Close, nil
	}
	for _, lang := range []content.Lang{content.En, content.Ja} {
		m := New(Config{Lang: lang, NoColor: true, Demo: true, Version: "test", OutDir: t.TempDir(),
			MonitorSetup: setup, Now: func() time.Time { return fixedNow }})
		d := newDriverFor(t, m, 5*time.Second)
		d.mustShow("w " + m.sh.L("monitor.key"))
		d.press("w") // the whole run happens inside this key's messages
		scr := d.screen()
		for _, want := range []string{m.sh.L("monitor.title"), m.sh.L("monitor.loss"), m.sh.L("monitor.jitter"),
			m.sh.L("monitor.rtt"), m.sh.L("monitor.done"), m.sh.L("monitor.events", "n", "0"), m.sh.L("monitor.nofile")} {
			if !strings.Contains(scr, want) {
				t.Errorf("%s: screen lacks %q:\n%s", lang, want, scr)
			}
		}
		if m.mon == nil || len(m.mon.windows) != 3 {
			t.Fatalf("%s: monitor state %+v", lang, m.mon)
		}
		d.press("esc")
		d.mustShow("1/8")
		if m.mon != nil {
			t.Errorf("esc left the monitor open")
		}
	}
}

// TestMonitorScreenNeedsSite: without a site the screen says what is
// missing instead of starting anything.
func TestMonitorScreenNeedsSite(t *testing.T) {
	d := newDriver(t, content.En, nil, nil)
	d.press("w")
	d.mustShow(d.m.sh.L("monitor.nosite"))
	d.press("esc")
	d.mustShow("1/8")
}
