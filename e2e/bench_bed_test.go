//go:build linux

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/netlab"
)

// TestBenchHealthyBed times `check --skip media.quality` on a healthy
// namespace bed (real daemons, nftables NAT router) for BENCHMARKS.md. It
// is a measurement, not a test: it runs only when scripts/bench.sh sets
// BIZTEL_BENCH_BED to the number of runs, and prints one "BENCH" line per
// run (wall s, user s, sys s, peak RSS KiB from GNU time) and the statuses.
func TestBenchHealthyBed(t *testing.T) {
	runs, _ := strconv.Atoi(os.Getenv("BIZTEL_BENCH_BED"))
	if runs <= 0 {
		t.Skip("a measurement for scripts/bench.sh: set BIZTEL_BENCH_BED=RUNS")
	}
	netlab.Require(t)
	b := netlab.New(t, netlab.Options{})
	switch _, err := b.StartServers(binary); {
	case errors.Is(err, netlab.ErrNoServe):
		t.Logf("BENCH bed without a reflector (this build has no serve): %v", err)
	case err != nil:
		t.Fatal(err)
	}
	if err := b.SetRouter(netlab.RouterConfig{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(b.Dir, "profile.yaml")
	if err := os.WriteFile(path, []byte(profileYAML(false)), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= runs; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), checkRunTimeout)
		cmd := b.Client.Command(ctx, "/usr/bin/time", "-f", "BENCH %e %U %S %M",
			"env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "SSL_CERT_FILE="+b.CA.CertFile,
			binary, "check", "--profile", path, "--skip", "media.quality", "--format", "json", "--lang", "en")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		_ = cmd.Run() // exit 1 (a finding) is still a timed run
		cancel()
		var timing string
		for _, line := range strings.Split(stderr.String(), "\n") {
			if strings.HasPrefix(line, "BENCH ") {
				timing = strings.TrimPrefix(line, "BENCH ")
			}
		}
		if timing == "" {
			t.Fatalf("run %d: no timing; stderr:\n%s", i, stderr.String())
		}
		r := &report{raw: stdout.Bytes()}
		statuses := "no report"
		if err := json.Unmarshal(stdout.Bytes(), r); err == nil {
			statuses = r.statusLine()
		}
		t.Logf("BENCH bed run %d: %s | %s", i, timing, statuses)
	}
}
