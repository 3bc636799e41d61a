package checks

import (
	"context"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest/impair"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/serve"
	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// The reflector test bed: a reflector on 127.0.0.1, an impairment relay on
// 127.0.0.2 mirroring its ports, and a profile whose reflector is the relay.
// Loopback only.
const (
	bedReflectorIP = "127.0.0.1"
	bedRelayIP     = "127.0.0.2"
	bedToken       = "bed-token"
)

type bed struct {
	srv     *serve.Server
	relay   *impair.Relay
	profile *profile.Profile
	opt     Options
}

// newBed starts a reflector with an RTP range of rtpSize ports and a relay
// configured by rc (Listen, Target and ports are filled in).
func newBed(t *testing.T, rtpSize int, rc impair.Config) *bed {
	t.Helper()
	for try := 0; try < 20; try++ {
		base := 30000 + rand.IntN(30000)
		srv, err := serve.Start(context.Background(), serve.Config{Listen: bedReflectorIP, Token: bedToken,
			RTP: content.PortRange{From: base, To: base + rtpSize - 1}})
		if err != nil {
			continue
		}
		rc.Listen, rc.Target = bedRelayIP, bedReflectorIP
		sip, ctl := srv.SIPAddr().Port, srv.ControlAddr().Port
		rc.UDPPorts = []int{sip, ctl}
		for p := base; p < base+rtpSize; p++ {
			rc.UDPPorts = append(rc.UDPPorts, p)
		}
		rc.TCPPorts = []int{sip}
		if rc.ALG != nil {
			rc.ALG.SIPPorts = []int{sip}
		}
		relay, err := impair.Start(rc)
		if err != nil {
			srv.Close()
			continue
		}
		t.Cleanup(func() { relay.Close(); srv.Close() })
		opt := DefaultOptions()
		opt.Ports.Reflector, opt.Ports.ReflectorSIP = ctl, sip
		opt.Ports.ReflectorRTP = srv.RTP()
		opt.MediaDuration = 3 * time.Second
		p := &profile.Profile{Server: profile.Server{IP: bedReflectorIP}, Reflector: profile.Reflector{Addr: bedRelayIP, Token: bedToken}}
		return &bed{srv: srv, relay: relay, profile: p, opt: opt}
	}
	t.Fatal("no free port block for the reflector bed")
	return nil
}

// isEcho selects the media stream's packets for impairment.
func isEcho(b []byte) bool {
	h, _, err := wire.Parse(b)
	return err == nil && (h.Type == wire.TypeEcho || h.Type == wire.TypeEchoReply)
}

// runCheck plans and runs one check the way the runner does, with deps given.
func runReflectorCheck(t testing.TB, id string, p *profile.Profile, opt Options, deps map[string]Result) (Result, []Sample) {
	t.Helper()
	plan, err := MakePlan(p, opt)
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := Lookup(id)
	if why, skip := plan.Skipped[id]; skip {
		return SkipResult(id, why), nil
	}
	var (
		mu      sync.Mutex
		samples []Sample
	)
	in := &Input{Profile: p, Options: opt, Targets: plan.For(id), Deps: deps, Env: (&Env{Listener: &net.ListenConfig{}}).withDefaults(),
		Content: content.MustLoad(), Sample: func(s Sample) { mu.Lock(); samples = append(samples, s); mu.Unlock() }}
	ctx, cancel := context.WithTimeout(context.Background(), spec.timeout(opt))
	defer cancel()
	r := spec.Run(ctx, in)
	r.ID = id
	mu.Lock()
	defer mu.Unlock()
	return r, samples
}

func factF(t *testing.T, r Result, key string) float64 {
	t.Helper()
	switch v := r.Facts[key].(type) {
	case float64:
		return v
	case int:
		return float64(v)
	}
	t.Fatalf("%s: fact %q missing or not a number: %#v (facts %v)", r.ID, key, r.Facts[key], r.Facts)
	return 0
}

func textOf(s string) content.Text { return content.T(s, s) }
