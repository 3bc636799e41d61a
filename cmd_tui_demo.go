package main

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/biztel-tools/biztel-doctor/demo"
	"github.com/biztel-tools/biztel-doctor/tui"
)

// demoSites is the demo's running simulated site. The start screen's s
// key replaces it with the next scenario's (tui.Config.NextDemo); the app
// closes whichever runs when it ends.
type demoSites struct {
	ctx    context.Context
	base   tui.Config // the app's config without a site
	mu     sync.Mutex
	site   *demo.Site
	closed bool
}

func startDemoSites(ctx context.Context, base tui.Config, sc demo.Scenario) (*demoSites, error) {
	site, err := demo.StartScenario(ctx, sc)
	if err != nil {
		return nil, err
	}
	return &demoSites{ctx: ctx, base: base, site: site}, nil
}

// config is the app's config on the running site.
func (d *demoSites) config() tui.Config {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.configLocked()
}

func (d *demoSites) configLocked() tui.Config {
	cfg := d.base
	cfg.Demo, cfg.DemoScenario = true, string(d.site.Scenario)
	cfg.Profile, cfg.Options, cfg.Env = d.site.Profile, d.site.Options, d.site.Env
	cfg.DemoFixes = d.site.Fixes
	cfg.MonitorSetup = monitorDemoSetup
	cfg.NextDemo, cfg.NextDemoScenario = d.next, string(nextScenario(d.site.Scenario))
	return cfg
}

// nextScenario is the scenario after sc, the first after the last.
func nextScenario(sc demo.Scenario) demo.Scenario {
	all := demo.Scenarios()
	return all[(slices.Index(all, sc)+1)%len(all)]
}

// next starts the scenario after the running one and closes that one.
func (d *demoSites) next() (tui.Config, error) {
	d.mu.Lock()
	now := d.site.Scenario
	d.mu.Unlock()
	site, err := demo.StartScenario(d.ctx, nextScenario(now))
	if err != nil {
		return tui.Config{}, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed { // the app ended meanwhile
		site.Close()
		return tui.Config{}, errors.New("the demo has ended")
	}
	d.site.Close()
	d.site = site
	return d.configLocked(), nil
}

// Close ends the running site; a switch still starting closes its own.
func (d *demoSites) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	d.site.Close()
}
