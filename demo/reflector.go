package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"net/netip"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest/impair"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/serve"
)

// Demo reflector limits.
const (
	// demoRTPPorts is the reflector's RTP echo range: a small range keeps
	// the demo light (rtp.range samples it as it would the real one).
	demoRTPPorts = 16
	// demoMediaDuration shortens media.quality's stream so a demo run
	// finishes in seconds; a real run uses checks.DefaultMediaDuration.
	demoMediaDuration = 3 * time.Second
	// demoNATTimerMax bounds nat.timer when the demo is run with it.
	demoNATTimerMax = 20 * time.Second
	// reflectorTries is how many random port blocks to try for the range.
	reflectorTries = 20
)

// algRelayIP is where the problems scenario's "router" listens: a relay
// mirroring the reflector's ports whose SIP-ALG rewrites SIP on the way
// (127.0.0.2 is the second STUN server).
const algRelayIP = "127.0.0.3"

// algPublicIP is the public address the ALG writes into SIP (TEST-NET-2,
// RFC 5737), unlike the client's own.
var algPublicIP = netip.MustParseAddr("198.51.100.77")

// startReflector starts `biztel-doctor serve` in-process on loopback: the
// peer of sip.alg, rtp.range, media.quality, media.bandwidth and nat.timer.
// With sipALG the checks reach it through a relay with a SIP-ALG.
func (s *Site) startReflector(ctx context.Context, t *lifecycle, f faults) error {
	tok := make([]byte, 16)
	if _, err := rand.Read(tok); err != nil {
		return fmt.Errorf("demo: reflector token: %w", err)
	}
	token := hex.EncodeToString(tok)
	var lastErr error
	for try := 0; try < reflectorTries; try++ {
		base := 30000 + mrand.IntN(30000-demoRTPPorts)
		srv, err := serve.Start(ctx, serve.Config{Listen: loopback, Token: token,
			RTP: content.PortRange{From: base, To: base + demoRTPPorts - 1}})
		if err != nil {
			lastErr = err
			continue
		}
		addr := loopback
		if f.sipALG {
			relay, err := startALGRelay(srv, f.fragDrop)
			if err != nil {
				srv.Close()
				lastErr = err
				continue
			}
			t.Cleanup(relay.Close)
			addr = algRelayIP
		}
		t.Cleanup(func() { srv.Close() })
		p := &s.Options.Ports
		p.Reflector, p.ReflectorSIP = srv.ControlAddr().Port, srv.SIPAddr().Port
		p.ReflectorRTP = srv.RTP()
		s.Profile.Reflector = profile.Reflector{Addr: addr, Token: token}
		s.Options.MediaDuration = demoMediaDuration
		s.Options.NATTimerMax = demoNATTimerMax
		return nil
	}
	return fmt.Errorf("demo: no free loopback port block for the reflector: %w", lastErr)
}

// fragMTU is the path MTU of the problems scenario's router that drops IP
// fragments: loopback (MTU 65,536) never fragments, so the relay drops
// every datagram a 1,500-byte path would split, both ways.
const fragMTU = 1500

// startALGRelay mirrors every port of the reflector on algRelayIP through a
// SIP-ALG on its SIP port; with fragDrop it also drops what would be
// fragmented.
func startALGRelay(srv *serve.Server, fragDrop bool) (*impair.Relay, error) {
	sip, ctl := srv.SIPAddr().Port, srv.ControlAddr().Port
	rc := impair.Config{Listen: algRelayIP, Target: loopback, UDPPorts: []int{sip, ctl}, TCPPorts: []int{sip},
		ALG: &impair.ALG{Public: algPublicIP, SIPPorts: []int{sip}}}
	if fragDrop {
		rc.FragMTUUp, rc.FragMTUDown = fragMTU, fragMTU
	}
	for p := srv.RTP().From; p <= srv.RTP().To; p++ {
		rc.UDPPorts = append(rc.UDPPorts, p)
	}
	return impair.Start(rc)
}
