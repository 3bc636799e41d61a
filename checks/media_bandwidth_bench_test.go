//go:build unix

package checks

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
	"github.com/biztel-tools/biztel-doctor/serve"
)

// benchCalls are the loads BenchmarkBandwidthLoad measures.
var benchCalls = []int{100, 300, 500}

// rusage is the CPU (user+system) of this process (RUSAGE_SELF) or of its
// waited-for children (RUSAGE_CHILDREN).
func rusage(tb testing.TB, who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkBandwidthLoad runs media.bandwidth --long (the full 5 s) on
// loopback against a reflector in a child process (this test binary
// re-run as TestBenchReflectorProcess), and reports the CPU of the client
// (this process) and of the reflector per 100 calls.
func BenchmarkBandwidthLoad(b *testing.B) {
	for _, calls := range benchCalls {
		b.Run(fmt.Sprintf("calls=%d", calls), func(b *testing.B) {
			if calls > bandwidthMaxCalls {
				b.Skipf("the tool caps the load at %d calls", bandwidthMaxCalls)
			}
			var client, refl time.Duration
			var last Result
			for b.Loop() {
				ctl, sip, rtp, stop := startReflectorProcess(b, 60*calls, 2*calls)
				opt := DefaultOptions()
				opt.Long = true
				opt.Ports.Reflector, opt.Ports.ReflectorSIP, opt.Ports.ReflectorRTP = ctl, sip, rtp
				p := &profile.Profile{Server: profile.Server{IP: bedReflectorIP}, Reflector: profile.Reflector{Addr: bedReflectorIP, Token: bedToken}, Channels: calls}
				before, childBefore := rusage(b, syscall.RUSAGE_SELF), rusage(b, syscall.RUSAGE_CHILDREN)
				last, _ = runReflectorCheck(b, "media.bandwidth", p, opt, nil)
				client += rusage(b, syscall.RUSAGE_SELF) - before
				stop()
				refl += rusage(b, syscall.RUSAGE_CHILDREN) - childBefore
			}
			per := func(d time.Duration) float64 { return d.Seconds() / float64(b.N) * 100 / float64(calls) }
			b.ReportMetric(per(client), "client-cpu-s/100calls")
			b.ReportMetric(per(refl), "reflector-cpu-s/100calls")
			b.Logf("%s: %s", last.Status, last.Summary.En)
		})
	}
}

// startReflectorProcess starts a reflector with the given budget and RTP
// range size in a child process; stop ends it and waits (so its CPU shows
// in RUSAGE_CHILDREN).
func startReflectorProcess(b *testing.B, pps, rtpSize int) (ctl, sip int, rtp content.PortRange, stop func()) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchReflectorProcess$")
	cmd.Env = append(os.Environ(), "BIZTEL_BENCH_REFLECTOR="+strconv.Itoa(pps)+","+strconv.Itoa(rtpSize))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	r := bufio.NewReader(stdout)
	var said []string
	var from, to int
	for {
		line, err := r.ReadString('\n')
		said = append(said, line)
		if _, serr := fmt.Sscanf(strings.TrimSpace(line), "ports %d %d %d %d", &ctl, &sip, &from, &to); serr == nil {
			break
		}
		if err != nil {
			stdin.Close()
			cmd.Wait()
			b.Fatalf("reflector process: %v\n%s", err, strings.Join(said, ""))
		}
	}
	return ctl, sip, content.PortRange{From: from, To: to}, func() { stdin.Close(); cmd.Wait() }
}

// TestBenchReflectorProcess is BenchmarkBandwidthLoad's reflector: it runs
// only when that benchmark starts it, prints its ports and serves until its
// stdin closes.
func TestBenchReflectorProcess(t *testing.T) {
	spec := os.Getenv("BIZTEL_BENCH_REFLECTOR")
	if spec == "" {
		t.Skip("started by BenchmarkBandwidthLoad only")
	}
	var pps, size int
	fmt.Sscanf(spec, "%d,%d", &pps, &size)
	var srv *serve.Server
	var err error
	for try := 0; srv == nil && try < 20; try++ {
		base := 30000 + rand.IntN(30000)
		srv, err = serve.Start(context.Background(), serve.Config{Listen: bedReflectorIP, Token: bedToken,
			RTP: content.PortRange{From: base, To: base + size}, RatePPS: pps})
	}
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	fmt.Printf("ports %d %d %d %d\n", srv.ControlAddr().Port, srv.SIPAddr().Port, srv.RTP().From, srv.RTP().To)
	bufio.NewReader(os.Stdin).ReadString('\n') // EOF when the benchmark is done
}
