package checks

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks/checktest/impair"
	"github.com/biztel-tools/biztel-doctor/profile"
)

func rewriteKeys(r Result) []string {
	var out []string
	for k := range r.Facts {
		if rest, ok := strings.CutPrefix(k, "rewrite."); ok {
			out = append(out, strings.ReplaceAll(rest, ".", " "))
		}
	}
	slices.Sort(out)
	return out
}

// TestSIPALGFindsExactlyTheRewrites: the test ALG's rewrites are reported,
// field by field and no more; without it, none.
func TestSIPALGFindsExactlyTheRewrites(t *testing.T) {
	alg := &impair.ALG{Public: netip.MustParseAddr("198.51.100.77")}
	b := newBed(t, 1, impair.Config{ALG: alg})
	r, _ := runReflectorCheck(t, "sip.alg", b.profile, b.opt, nil)
	t.Logf("%s: %s %v", r.Status, r.Summary.En, r.Facts)
	want := alg.Rewrites()
	if len(want) < 8 {
		t.Fatalf("the test ALG rewrote only %v", want)
	}
	if got := rewriteKeys(r); !slices.Equal(got, want) {
		t.Errorf("reported rewrites\n %v\nALG rewrote\n %v", got, want)
	}
	if r.Status != Fail || !slices.Contains(r.Remedies, "disable-sip-alg") {
		t.Errorf("status %s remedies %v", r.Status, r.Remedies)
	}
	if v, _ := r.Facts["rewrite.udp.INVITE.c="].(string); !strings.Contains(v, "198.51.100.77") {
		t.Errorf("c= fact %q does not show the public address", v)
	}

	clean := newBed(t, 1, impair.Config{})
	r, _ = runReflectorCheck(t, "sip.alg", clean.profile, clean.opt, nil)
	if r.Status != Pass || len(rewriteKeys(r)) != 0 {
		t.Errorf("without an ALG: %s %v %v", r.Status, r.Summary.En, r.Facts)
	}
}

func TestSIPALGRequestDropped(t *testing.T) {
	b := newBed(t, 1, impair.Config{})
	b.opt.Ports.ReflectorSIP = b.opt.Ports.ReflectorRTP.From // nothing answers SIP there
	r, _ := runReflectorCheck(t, "sip.alg", b.profile, b.opt, nil)
	if r.Status != Fail || !strings.Contains(r.Summary.En, "dropped") || !slices.Contains(r.Remedies, "allow-sip-udp") {
		t.Errorf("got %s %q %v", r.Status, r.Summary.En, r.Facts)
	}
}

func TestSIPALGWrongToken(t *testing.T) {
	b := newBed(t, 1, impair.Config{})
	b.profile.Reflector.Token = "wrong"
	r, _ := runReflectorCheck(t, "sip.alg", b.profile, b.opt, nil)
	if r.Status != Error || r.Facts["refused"] == nil {
		t.Errorf("got %s %q %v", r.Status, r.Summary.En, r.Facts)
	}
}

func TestSIPALGHeuristic(t *testing.T) {
	// The dependencies carry typed evidence only: the heuristic must not
	// need their facts.
	sip := func(local, received string) Result {
		r := PassResult("sip.udp", textOf("ok"))
		r.Evidence = &SIPUDPEvidence{Local: netip.MustParseAddrPort(local), Answered: true, Received: received}
		return r
	}
	stun := func(mapped string) Result {
		r := PassResult("stun.3478", textOf("ok"))
		r.Evidence = &STUNEvidence{Bindings: []STUNBindingEvidence{{Server: "stun:3478", Answered: true, Mapped: netip.MustParseAddrPort(mapped)}}}
		return r
	}
	cases := []struct {
		name string
		deps map[string]Result
		want Status
	}{
		{"clean NAT", map[string]Result{"sip.udp": sip("192.168.1.5:5060", "203.0.113.1"), "stun.3478": stun("203.0.113.1:40000")}, Pass},
		{"received rewritten back", map[string]Result{"sip.udp": sip("192.168.1.5:5060", "192.168.1.5"), "stun.3478": stun("203.0.113.1:40000")}, Warn},
		{"no received behind NAT", map[string]Result{"sip.udp": sip("192.168.1.5:5060", ""), "stun.3478": stun("203.0.113.1:40000")}, Warn},
		{"other path", map[string]Result{"sip.udp": sip("192.168.1.5:5060", "203.0.113.9"), "stun.3478": stun("203.0.113.1:40000")}, Warn},
		{"no NAT", map[string]Result{"sip.udp": sip("203.0.113.1:5060", ""), "stun.3478": stun("203.0.113.1:5060")}, Pass},
		{"no STUN", map[string]Result{"sip.udp": sip("192.168.1.5:5060", "192.168.1.5")}, Skip},
		{"sip.udp failed", map[string]Result{"sip.udp": FailResult("sip.udp", textOf("x"), "allow-sip-udp")}, Skip},
		{"nothing", map[string]Result{}, Skip},
	}
	p := &profile.Profile{Server: profile.Server{IP: "203.0.113.10"}}
	for _, c := range cases {
		r, _ := runReflectorCheck(t, "sip.alg", p, DefaultOptions(), c.deps)
		if r.Status != c.want {
			t.Errorf("%s: %s, want %s (%s)", c.name, r.Status, c.want, r.Summary.En)
		}
		if r.Facts["method"] != methodHeuristic {
			t.Errorf("%s: method fact %v", c.name, r.Facts["method"])
		}
		if (r.Status == Warn || r.Status == Fail) && len(r.Remedies) == 0 {
			t.Errorf("%s: %s without remedy", c.name, r.Status)
		}
	}
}
