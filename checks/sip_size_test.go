package checks

import (
	"net"
	"strconv"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/checks/checktest/impair"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// TestSIPSizeServer: without a reflector the two OPTIONS go to the BIZTEL
// server; a server that never sees the fragmented one stands for a path
// that drops fragments (loopback's MTU never fragments).
func TestSIPSizeServer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		mode    checktest.SIPUDPMode
		drop    int // DropFirst
		over    int // DropOver
		deps    map[string]Result
		want    want
		because string
		maxReqs int // the server may see at most this many packets (-1: no limit)
	}{
		{name: "both answered", mode: checktest.SIPUDPOK,
			want:    want{status: Pass, facts: map[string]any{"target": "server", "small_bytes": sipSizeSmall, "large_bytes": sipSizeLarge, "small_answered": true, "large_answered": true}},
			maxReqs: 2},
		{name: "fragments dropped", mode: checktest.SIPUDPOK, over: 1472,
			want:    want{status: Fail, remedies: []string{"allow-ip-fragments"}, facts: map[string]any{"small_answered": true, "large_answered": false, "large_requests_sent": sipMaxSends}},
			maxReqs: 1 + sipMaxSends},
		{name: "one loss is retransmitted, not a verdict", mode: checktest.SIPUDPOK, drop: 1,
			want: want{status: Pass}, maxReqs: 3},
		{name: "nothing answered", mode: checktest.SIPUDPSilent,
			want: want{status: Skip, facts: map[string]any{"small_answered": false}}, because: "sip.udp", maxReqs: 2 * sipMaxSends},
		{name: "sip.udp failed: nothing sent", mode: checktest.SIPUDPOK,
			deps: map[string]Result{"sip.udp": FailResult("sip.udp", textOf("no"), "allow-sip-udp")},
			want: want{status: Skip}, because: "sip.udp", maxReqs: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &checktest.SIPUDPServer{Mode: tc.mode, DropFirst: tc.drop, DropOver: tc.over}
			s.Serve(checktest.ListenUDP(t, "127.0.0.1", 0))
			opt := DefaultOptions()
			opt.Ports.SIPUDP = s.Port()
			p := &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}}
			r := runCheck(t, "sip.size", p, opt, testEnv(t), tc.deps)
			checkResult(t, r, tc.want)
			if r.SkippedBecause != tc.because {
				t.Errorf("SkippedBecause %q, want %q", r.SkippedBecause, tc.because)
			}
			if s.Requests() > tc.maxReqs {
				t.Errorf("the server got %d packets, at most %d expected", s.Requests(), tc.maxReqs)
			}
			if tc.want.status == Fail && !strings.Contains(r.Summary.En, "UDP fragments are dropped") {
				t.Errorf("summary %q does not name the dropped fragments", r.Summary.En)
			}
			if tc.want.status == Pass {
				if ev, ok := r.Evidence.(SIPSizeEvidence); !ok || !ev.Large.Answered || ev.Large.Bytes != sipSizeLarge {
					t.Errorf("evidence %#v", r.Evidence)
				}
			}
		})
	}
}

// TestSIPSizeReflector: through the reflector the answer comes back as
// large as the request, so a path that drops fragments in either
// direction fails the check.
func TestSIPSizeReflector(t *testing.T) {
	for _, tc := range []struct {
		name     string
		up, down int
		want     Status
	}{
		{"clean", 0, 0, Pass},
		{"fragments dropped on the way out", 1500, 0, Fail},
		{"fragments dropped on the way back", 0, 1500, Fail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBed(t, 1, impair.Config{FragMTUUp: tc.up, FragMTUDown: tc.down})
			r, _ := runReflectorCheck(t, "sip.size", b.profile, b.opt, nil)
			if r.Status != tc.want {
				t.Fatalf("status %s, want %s: %s %v", r.Status, tc.want, r.Summary.En, r.Facts)
			}
			if r.Facts["target"] != "reflector" {
				t.Errorf("target %v", r.Facts["target"])
			}
			if tc.want == Pass {
				if n, _ := r.Facts["large_answer_bytes"].(int); n < sipSizeLarge-9 || n > sipSizeLarge {
					t.Errorf("the answer to the large request was %d bytes; the reflector should mirror %d", n, sipSizeLarge)
				}
				if r.Facts["large_arrived_bytes"] != sipSizeLarge {
					t.Errorf("the reflector saw %v bytes of %d", r.Facts["large_arrived_bytes"], sipSizeLarge)
				}
			}
		})
	}
}

// TestSIPSizeOldReflector: a reflector without HelloLargeSIP reads 2,048
// bytes of SIP; its silence to 2,200 bytes must not read as a drop.
func TestSIPSizeOldReflector(t *testing.T) {
	c := checktest.ListenUDP(t, "127.0.0.1", 0)
	go func() {
		buf := make([]byte, wire.MaxDatagram)
		for {
			n, from, err := c.ReadFromUDP(buf)
			if err != nil {
				return
			}
			h, _, err := wire.Parse(buf[:n])
			if err != nil || h.Type != wire.TypeHello {
				continue // an old reflector cuts SIP at 2,048 bytes; here it never answers
			}
			body := wire.HelloReplyBody{SIPPort: 9, ControlPort: uint16(c.LocalAddr().(*net.UDPAddr).Port)}.Marshal()
			c.WriteToUDP(wire.Build(wire.Header{Type: wire.TypeHelloReply, Nonce: h.Nonce}, body, 0, ""), from)
		}
	}()
	p := &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}, Reflector: profile.Reflector{Addr: c.LocalAddr().String()}}
	r, _ := runReflectorCheck(t, "sip.size", p, DefaultOptions(), nil)
	if r.Status != Skip || r.Facts["reflector_large_sip"] != false || !strings.Contains(r.Summary.En, "older version") {
		t.Errorf("got %s %q %v", r.Status, r.Summary.En, r.Facts)
	}
}

func TestSIPSizePlan(t *testing.T) {
	opt := DefaultOptions()
	server := &profile.Profile{Server: profile.Server{IP: "203.0.113.10"}}
	d, skip := planSIPSize(server, opt)
	if !skip.IsZero() || len(d) != 1 || d[0].HostPort() != "203.0.113.10:"+strconv.Itoa(opt.Ports.SIPUDP) {
		t.Errorf("without a reflector: %+v %+v", d, skip)
	}
	refl := &profile.Profile{Server: server.Server, Reflector: profile.Reflector{Addr: "198.51.100.40"}}
	d, _ = planSIPSize(refl, opt)
	if len(d) != 2 || d[1].Address != "198.51.100.40" || d[1].Ports.From != opt.Ports.ReflectorSIP {
		t.Errorf("with a reflector: %+v", d)
	}
	if _, skip := planSIPSize(&profile.Profile{}, opt); skip.IsZero() {
		t.Error("no server and no reflector: the plan must say why it skips")
	}
}
