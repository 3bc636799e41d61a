package checks

import (
	"encoding/binary"
	"github.com/biztel-tools/biztel-doctor/probe/media"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest/impair"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// fakeSTUN answers Binding requests on loopback, dropping every dropEvery-th.
func fakeSTUN(t *testing.T, dropEvery int) int {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 1500)
		for n := 1; ; n++ {
			k, from, err := c.ReadFromUDP(buf)
			if err != nil {
				return
			}
			if k < 20 || binary.BigEndian.Uint16(buf) != 0x0001 || (dropEvery > 0 && n%dropEvery == 0) {
				continue
			}
			resp := append([]byte(nil), buf[:20]...)
			binary.BigEndian.PutUint16(resp, 0x0101)
			c.WriteToUDP(resp, from)
		}
	}()
	return c.LocalAddr().(*net.UDPAddr).Port
}

func TestMediaQualitySTUNFallback(t *testing.T) {
	port := fakeSTUN(t, 10)
	p := &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}, STUN: profile.STUN{Servers: []string{"127.0.0.1"}}}
	opt := DefaultOptions()
	opt.Ports.STUNPrimary = port
	opt.MediaDuration = 2 * time.Second
	r, samples := runReflectorCheck(t, "media.quality", p, opt, nil)
	if m, _ := r.Facts["method"].(string); !strings.HasPrefix(m, "STUN binding (weaker") {
		t.Errorf("method %q", m)
	}
	if got := factF(t, r, "loss_pct"); got != 10 {
		t.Errorf("loss %v%%, the fake STUN dropped every 10th", got)
	}
	if r.Status != Fail || r.Facts["loss_up_pct"] != nil || len(samples) == 0 {
		t.Errorf("%s %v (samples %d)", r.Status, r.Facts, len(samples))
	}
}

func TestMediaQualityNeedsSomething(t *testing.T) {
	p := &profile.Profile{Server: profile.Server{IP: "203.0.113.10"}}
	plan, _ := MakePlan(p, DefaultOptions())
	if plan.Skipped["media.quality"].IsZero() {
		t.Error("media.quality planned with neither reflector nor STUN")
	}
}

func TestMediaQualityRTPBlocked(t *testing.T) {
	b := newBed(t, 1, impair.Config{})
	b.opt.MediaDuration = time.Second
	b.relay.Close()
	rc := impair.Config{Listen: bedRelayIP, Target: bedReflectorIP, UDPPorts: []int{b.opt.Ports.Reflector, b.opt.Ports.ReflectorRTP.From},
		Blocked: []content.PortRange{b.opt.Ports.ReflectorRTP}}
	relay, err := impair.Start(rc)
	if err != nil {
		t.Skip("relay restart:", err)
	}
	defer relay.Close()
	r, _ := runReflectorCheck(t, "media.quality", b.profile, b.opt, nil)
	if r.Status != Fail || r.Remedies[0] != "allow-rtp" {
		t.Errorf("%s %v %v", r.Status, r.Remedies, r.Facts)
	}
}

func TestReflectorUnreachable(t *testing.T) {
	dead, _ := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}) // a port that never answers
	t.Cleanup(func() { dead.Close() })
	p := &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}, Reflector: profile.Reflector{Addr: "127.0.0.1", Token: "x"}}
	opt := DefaultOptions()
	opt.Ports.Reflector = dead.LocalAddr().(*net.UDPAddr).Port
	opt.Ports.ReflectorRTP = content.PortRange{From: opt.Ports.Reflector, To: opt.Ports.Reflector}
	for _, id := range []string{"media.quality", "rtp.range", "sip.alg", "media.bandwidth"} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			r, _ := runReflectorCheck(t, id, p, opt, nil)
			if r.Status != Error || !strings.Contains(r.Summary.En, "did not answer") {
				t.Errorf("%s: %s %q", id, r.Status, r.Summary.En)
			}
		})
	}
}

func TestRTPNotServed(t *testing.T) {
	hr := wire.HelloReplyBody{RTPFrom: 10000, RTPTo: 10010}
	if _, bad := rtpNotServed("x", hr, content.PortRange{From: 10000, To: 10010}); bad {
		t.Error("served range refused")
	}
	for _, want := range []content.PortRange{{From: 9999, To: 10000}, {From: 10010, To: 10011}} {
		if r, bad := rtpNotServed("x", hr, want); !bad || r.Status != Error {
			t.Errorf("%s accepted", want)
		}
	}
	if _, bad := rtpNotServed("x", wire.HelloReplyBody{}, content.PortRange{From: 1, To: 1}); !bad {
		t.Error("a reflector without RTP accepted")
	}
}

// A dead path: not one echo after mediaSilenceStop of stream, so the
// stream stops there (counted in rounds, not wall time) and says so.
func TestMediaQualityStopsEarlyWhenSilent(t *testing.T) {
	dead, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}) // reads nothing, answers nothing
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dead.Close() })
	p := &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}, STUN: profile.STUN{Servers: []string{"127.0.0.1"}}}
	opt := DefaultOptions()
	opt.Ports.STUNPrimary = dead.LocalAddr().(*net.UDPAddr).Port
	opt.MediaDuration = 10 * time.Second
	r, _ := runReflectorCheck(t, "media.quality", p, opt, nil)
	want := int(mediaSilenceStop / media.Interval)
	if r.Status != Fail || r.Facts["stopped_early"] != true || r.Facts["packets_sent"] != want {
		t.Errorf("%s %v, want fail, stopped_early, %d packets sent", r.Status, r.Facts, want)
	}
	if !strings.Contains(r.Summary.En, "stopped early") || !strings.Contains(r.Summary.Ja, "打ち切りました") {
		t.Errorf("summary does not say the stream stopped early: %q / %q", r.Summary.En, r.Summary.Ja)
	}
}

// When the STUN check of media.quality's STUN server failed, it skips
// naming that check instead of streaming into the same silence.
func TestMediaQualitySkipsAfterFailedSTUN(t *testing.T) {
	p := &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}, STUN: profile.STUN{Servers: []string{"127.0.0.1:3479"}}}
	deps := map[string]Result{"stun.3478": PassResult("stun.3478", content.T("", "")),
		"stun.3479": FailResult("stun.3479", content.T("応答なし", "no answer"), "allow-stun")}
	r, _ := runReflectorCheck(t, "media.quality", p, DefaultOptions(), deps)
	if r.Status != Skip || r.Facts["prerequisite"] != "stun.3479" || !strings.Contains(r.Summary.En, "stun.3479") {
		t.Errorf("%s %q %v, want a skip naming stun.3479", r.Status, r.Summary.En, r.Facts)
	}
}
