package main

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/demo"
	"github.com/biztel-tools/biztel-doctor/tui"
)

// TestDemoSitesSwitch: the start screen's s starts the other scenario's
// site and closes the one it replaces (its fake servers stop answering);
// after the app ended, a switch still starting closes its own site.
func TestDemoSitesSwitch(t *testing.T) {
	sites, err := startDemoSites(context.Background(), tui.Config{Version: "test"}, demo.Problems)
	if err != nil {
		t.Fatal(err)
	}
	first := sites.config()
	if first.DemoScenario != "problems" || first.NextDemo == nil || first.NextDemoScenario != "healthy" || first.Version != "test" || !first.Demo {
		t.Fatalf("first config: %+v", first)
	}
	tlsAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(first.Options.Ports.SIPTLS))
	c, err := net.DialTimeout("tcp", tlsAddr, time.Second)
	if err != nil {
		t.Fatalf("the problems site's SIP/TLS fake does not answer: %v", err)
	}
	c.Close()
	second, err := first.NextDemo()
	if err != nil || second.DemoScenario != "healthy" || second.NextDemoScenario != "problems" || second.Env == first.Env {
		t.Fatalf("switch: %v %q", err, second.DemoScenario)
	}
	if c, err := net.DialTimeout("tcp", tlsAddr, time.Second); err == nil {
		c.Close()
		t.Error("the replaced site still answers: it was not closed")
	}
	if third, err := second.NextDemo(); err != nil || third.DemoScenario != "problems" {
		t.Fatalf("switch back: %v %q", err, third.DemoScenario)
	}
	sites.Close()
	if _, err := first.NextDemo(); err == nil {
		t.Error("a switch after the app ended started a site")
	}
}
