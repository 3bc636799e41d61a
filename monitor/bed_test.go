package monitor

import (
	"context"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/checks/checktest/impair"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/serve"
)

// The loopback bed: a reflector on 127.0.0.1 behind a relay on relayIP
// that can take the line down; a STUN server and a SIP server reached
// directly.
const (
	reflectorIP = "127.0.0.1"
	relayIP     = "127.0.0.6"
	rtpPorts    = 4
)

type bed struct {
	srv   *serve.Server
	relay *impair.Relay
	down  atomic.Bool
	cfg   Config
}

type wired struct{}

func (wired) DefaultRoute() (string, bool, error) { return "eth0", false, nil }
func (wired) LinkKind(string) (string, map[string]string, error) {
	return "wired", map[string]string{}, nil
}
func (wired) ProxySettings() (map[string]string, error) { return nil, nil }

func newBed(t *testing.T, withSTUN bool) *bed {
	t.Helper()
	b := &bed{}
	for try := 0; try < 20 && b.relay == nil; try++ {
		base := 30000 + rand.IntN(30000)
		srv, err := serve.Start(context.Background(), serve.Config{Listen: reflectorIP,
			RTP: content.PortRange{From: base, To: base + rtpPorts - 1}})
		if err != nil {
			continue
		}
		ports := []int{srv.ControlAddr().Port, base}
		relay, err := impair.Start(impair.Config{Listen: relayIP, Target: reflectorIP, UDPPorts: ports, LineDown: b.down.Load})
		if err != nil {
			srv.Close()
			continue
		}
		b.srv, b.relay = srv, relay
	}
	if b.relay == nil {
		t.Fatal("no free ports for the reflector bed")
	}
	t.Cleanup(func() { b.relay.Close(); b.srv.Close() })
	sipConn := checktest.ListenUDP(t, "127.0.0.1", 0)
	(&checktest.SIPUDPServer{Mode: checktest.SIPUDPOK}).Serve(sipConn)
	ports := checks.DefaultPorts()
	ports.Reflector, ports.ReflectorRTP = b.srv.ControlAddr().Port, b.srv.RTP()
	ports.SIPUDP = sipConn.LocalAddr().(*net.UDPAddr).Port
	p := &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}, Reflector: profile.Reflector{Addr: relayIP}}
	if withSTUN {
		st := checktest.NewSTUN(t, checktest.STUNAnswer)
		ports.STUNPrimary = st.Addr.Port
		p.STUN.Servers = []string{"127.0.0.1"}
	}
	b.cfg = Config{Profile: p, Ports: ports, Window: time.Second, Version: "test",
		Thresholds: content.MustLoad().Thresholds,
		Env: &checks.Env{Version: "test", Dialer: &net.Dialer{}, Listener: &net.ListenConfig{},
			Resolver: net.DefaultResolver, Host: wired{}, Getenv: func(string) string { return "" },
			Now: time.Now, Log: log.New(io.Discard, "", 0)}}
	return b
}
