package demo

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest/impair"
)

// The monitor demo: a healthy site whose line between the PC and the
// reflector fails on a fixed schedule, so `monitor` has something to catch
// and a screen share shows the same thing every time.
const (
	// FaultPeriod is how often the pattern repeats.
	FaultPeriod = time.Minute
	// OutageFrom and OutageFor: in every period the line is down for 10 s,
	// from 20 s after the period begins.
	OutageFrom = 20 * time.Second
	OutageFor  = 10 * time.Second
	// RemapAt: 45 s into every period the "router" forgets the NAT mapping
	// (as a short NAT timer does): the next packet gets a new public port.
	RemapAt = 45 * time.Second
	// MonitorScenario names the simulated site in the record.
	MonitorScenario = "monitor-intermittent"
)

// monitorRelayIP is where the monitor demo's faulty line listens.
const monitorRelayIP = "127.0.0.7"

// Schedule is the intermittent fault as a pure function of the time since
// monitoring began: the first packet through the line starts it, and the
// clock is injected, so a run repeats exactly.
type Schedule struct {
	Now func() time.Time // nil: time.Now

	mu       sync.Mutex
	start    time.Time
	remapped int // periods whose mapping change has happened
}

// Elapsed is the time since the first packet (0 before it, which starts
// the schedule).
func (s *Schedule) Elapsed() time.Duration {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := now()
	if s.start.IsZero() {
		s.start = t
	}
	return t.Sub(s.start)
}

// Down reports whether the line is down at elapsed.
func Down(elapsed time.Duration) bool {
	in := elapsed % FaultPeriod
	return in >= OutageFrom && in < OutageFrom+OutageFor
}

// remapDue reports, once per period, that the mapping change is due.
func (s *Schedule) remapDue(elapsed time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	period := int(elapsed / FaultPeriod)
	if elapsed%FaultPeriod >= RemapAt && s.remapped <= period {
		s.remapped = period + 1
		return true
	}
	return false
}

// MonitorSite is a running monitor demo.
type MonitorSite struct {
	*Site
	Schedule *Schedule
}

// StartMonitor starts a healthy site with the reflector behind a line that
// fails on sch's schedule (a new Schedule when nil).
func StartMonitor(ctx context.Context, sch *Schedule) (*MonitorSite, error) {
	site, err := StartScenario(ctx, Healthy)
	if err != nil {
		return nil, err
	}
	if sch == nil {
		sch = &Schedule{}
	}
	p := site.Options.Ports
	// everything the monitor sends crosses the line: the reflector, the
	// STUN server (so a dead line is an outage, not a silent reflector)
	// and SIP
	rc := impair.Config{Listen: monitorRelayIP, Target: loopback, UDPPorts: []int{p.Reflector, p.STUNPrimary, p.SIPUDP}}
	for port := p.ReflectorRTP.From; port <= p.ReflectorRTP.To; port++ {
		rc.UDPPorts = append(rc.UDPPorts, port)
	}
	var relay *impair.Relay
	ready := make(chan struct{}) // relay is set before a packet is judged
	rc.LineDown = func() bool {
		<-ready
		e := sch.Elapsed()
		if sch.remapDue(e) {
			relay.Forget()
		}
		return Down(e)
	}
	relay, err = impair.Start(rc)
	if err != nil {
		site.Close()
		return nil, fmt.Errorf("demo: monitor line: %w", err)
	}
	close(ready)
	site.life.Cleanup(relay.Close)
	site.Profile.Reflector.Addr = monitorRelayIP
	site.Profile.STUN.Servers = []string{monitorRelayIP}
	site.Profile.Server.IP = monitorRelayIP
	return &MonitorSite{Site: site, Schedule: sch}, nil
}
