package main

import (
	"context"

	"github.com/biztel-tools/biztel-doctor/demo"
	"github.com/biztel-tools/biztel-doctor/monitor"
)

// startMonitorDemo points cfg at the monitor demo: a simulated site on
// loopback whose line fails on a fixed schedule.
func startMonitorDemo(ctx context.Context, cfg *monitor.Config) (*demo.MonitorSite, error) {
	site, err := demo.StartMonitor(ctx, nil)
	if err != nil {
		return nil, err
	}
	cfg.Profile, cfg.Env, cfg.Ports = site.Profile, site.Env, site.Options.Ports
	cfg.Simulated = demo.MonitorScenario
	return site, nil
}

// monitorDemoSetup is the TUI demo's monitor site: its own simulated site
// with the intermittent fault, released when the run ends.
func monitorDemoSetup(ctx context.Context, cfg monitor.Config) (monitor.Config, func(), error) {
	site, err := startMonitorDemo(ctx, &cfg)
	if err != nil {
		return cfg, nil, err
	}
	return cfg, site.Close, nil
}
