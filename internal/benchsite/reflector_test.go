//go:build linux

package benchsite

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/serve"
)

// reflectorToken signs the bench site's reflector requests.
const reflectorToken = "bench-token"

// reflectorRTPPorts is the size of the bench reflector's RTP range: enough
// for rtp.range's sample and media.bandwidth's streams, small enough to
// find free on a busy machine.
const reflectorRTPPorts = 64

// startReflector starts `biztel-doctor serve` in-process on 127.0.0.1 (a
// healthy path: sip.alg, rtp.range and media.bandwidth run against it),
// or in blackhole mode points every reflector port at a UDP sink.
func startReflector(t testing.TB, s *site, blackhole bool) {
	t.Helper()
	o := &s.ov.Ports
	if blackhole {
		sink := checktest.NewUDPBlackhole(t).Port()
		o.Reflector, o.ReflectorSIP = port(sink), port(sink)
		o.ReflectorRTP = port(sink)
		return
	}
	for try := 0; try < 20; try++ {
		base := 30000 + rand.IntN(28000) // below Linux's ephemeral range
		srv, err := serve.Start(context.Background(), serve.Config{Listen: "127.0.0.1", Token: reflectorToken,
			RTP: content.PortRange{From: base, To: base + reflectorRTPPorts - 1}})
		if err != nil {
			continue
		}
		t.Cleanup(func() { srv.Close() })
		o.Reflector, o.ReflectorSIP = port(srv.ControlAddr().Port), port(srv.SIPAddr().Port)
		rtp := srv.RTP()
		o.ReflectorRTP = &rtp
		return
	}
	t.Fatal("benchsite: no free port block for the reflector")
}
