//go:build linux

package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/biztel-tools/biztel-doctor/netlab"
)

// TestWriteDiffFixtures writes the real reports that diff's table tests
// compare (report/testdata/diff): one bed, the router changed between
// runs, as a customer changes theirs between two runs of check. It only
// runs when asked: BIZTEL_DOCTOR_DIFF_FIXTURES=DIR.
func TestWriteDiffFixtures(t *testing.T) {
	dir := os.Getenv("BIZTEL_DOCTOR_DIFF_FIXTURES")
	if dir == "" {
		t.Skip("set BIZTEL_DOCTOR_DIFF_FIXTURES=DIR to write diff's fixtures from the bed")
	}
	netlab.Require(t)
	b := netlab.New(t, netlab.Options{})
	if _, err := b.StartServers(binary); err != nil {
		t.Fatal(err)
	}
	blockSIP := netlab.Block{Transport: "udp", From: 5060, Dst: netlab.ServerIP}
	blockWeb := netlab.Block{Transport: "tcp", From: 8000, Dst: netlab.ServerIP}
	runs := []struct {
		name   string
		router netlab.RouterConfig
		lang   string
	}{
		{"blocked-sip-udp", netlab.RouterConfig{Blocks: []netlab.Block{blockSIP}}, "en"},
		{"blocked-sip-udp-ja", netlab.RouterConfig{Blocks: []netlab.Block{blockSIP}}, "ja"},
		{"fixed", netlab.RouterConfig{}, "en"},
		{"regressed-web-8000", netlab.RouterConfig{Blocks: []netlab.Block{blockWeb}}, "en"},
		{"alg-on", netlab.RouterConfig{SIPHelper: true}, "en"},
		{"alg-off", netlab.RouterConfig{}, "en"},
	}
	for _, run := range runs {
		if err := b.SetRouter(run.router); err != nil {
			t.Fatal(err)
		}
		r := runCheck(t, b, profileYAML(false), nil, append(mediaShort, "--lang", run.lang)...)
		t.Logf("%s: %s", run.name, r.statusLine())
		if err := os.WriteFile(filepath.Join(dir, run.name+".json"), r.raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
