package profile

import (
	"os"
	"strings"
	"testing"
)

// The shipped example loads as it is, and every key of it is documented.
func TestExampleProfileLoads(t *testing.T) {
	const path = "../examples/profile.yaml"
	p, err := Load(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if p.ServerAddr() != "203.0.113.10" || p.TLSName() != "s0123456789ab.u.biztel.jp" {
		t.Errorf("server %s / %s", p.ServerAddr(), p.TLSName())
	}
	if len(p.STUNEntries()) != 2 || p.STUN.CIDR == "" || p.Recording.IsZero() || p.UniConnect.IsZero() || p.Vendor != "yamaha" || p.CallCount() != 10 {
		t.Errorf("example lost a section: %+v", p)
	}
	if p.Option("uniconnect") || !p.Option("recording_download") {
		t.Errorf("options %v", p.OptionSet())
	}
	// Its commented-out optional sections are valid when uncommented.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	un := strings.NewReplacer("# ftps:", "ftps:", "# tls:", "tls:", "#   pin_sha256:", "  pin_sha256:", "# vpn_ip:", "vpn_ip:").Replace(string(data))
	q, err := Parse([]byte(un), "uncommented")
	if err != nil {
		t.Fatalf("uncommented example: %v", err)
	}
	if !q.VPN() || q.FTPS.User == "" || len(q.TLS.PinSHA256) != 1 {
		t.Errorf("uncommented sections not read: %+v", q)
	}
}
