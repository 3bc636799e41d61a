package profile

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

const goodProfile = `server:
  host: s0123456789ab.u.biztel.jp
  ip: 203.0.113.10
stun:
  servers: [198.51.100.20:3478, 198.51.100.21]
channels: 4
`

func TestParseGood(t *testing.T) {
	p, err := Parse([]byte(goodProfile), "site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.ServerAddr() != "203.0.113.10" || p.TLSName() != "s0123456789ab.u.biztel.jp" || p.CallCount() != 4 {
		t.Errorf("got addr %s name %s calls %d", p.ServerAddr(), p.TLSName(), p.CallCount())
	}
	want := []STUNEntry{{"198.51.100.20", 3478}, {"198.51.100.21", 0}}
	got := p.STUNEntries()
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("STUNEntries = %v, want %v", got, want)
	}
}

// TestBrokenProfiles: each broken profile gets its own message naming the
// field, the line and what to do.
func TestBrokenProfiles(t *testing.T) {
	cases := []struct {
		name  string
		yaml  string
		field string
		line  int
		want  []string // substrings of the English or Japanese message
	}{
		{"bad IP", "server:\n  ip: 203.0.113.300\n", "server.ip", 2, []string{`"203.0.113.300"`, "not an IP address"}},
		{"short IP", "server:\n  ip: 203.0.113\n", "server.ip", 2, []string{"not an IP address"}},
		{"IP as host", "server:\n  host: 300.1.2.3\n", "server.host", 2, []string{"not a valid IPv4 address"}},
		{"IPv6 server IP", "server:\n  ip: 2001:db8::10\n", "server.ip", 2, []string{"IPv6", "needs IPv4"}},
		{"IPv6 VPN IP", "server:\n  ip: 203.0.113.10\n  vpn_ip: fd00::1\n", "server.vpn_ip", 3, []string{"IPv6"}},
		{"unknown key", "server:\n  ip: 203.0.113.10\ncolour: blue\n", "colour", 3, []string{"unknown key", "server, stun, recording"}},
		{"unknown nested key", "server:\n  ip: 203.0.113.10\n  hots: x.example\n", "server.hots", 3, []string{"unknown key", "host, ip, vpn_ip"}},
		{"no server", "stun:\n  servers: [198.51.100.20]\n", "server", 1, []string{"server.host", "ご利用案内"}},
		{"empty file", "", "server", 0, []string{"empty"}},
		{"placeholder IP", "server:\n  ip: XXX.XXX.XXX.XXX\n", "server.ip", 2, []string{"placeholder", "「ご利用案内」"}},
		{"placeholder host", "server:\n  host: sXXXXXXXXXXXX.u.biztel.jp\n", "server.host", 2, []string{"placeholder", "「ご利用案内」"}},
		{"placeholder STUN", "server:\n  ip: 203.0.113.10\nstun:\n  servers: [\"***.***.***.***/**\"]\n", "stun.servers[0]", 4, []string{"placeholder", "「サービスご紹介資料」"}},
		{"placeholder STUN CIDR", "server:\n  ip: 203.0.113.10\nstun:\n  cidr: \"***.***.***.***/**\"\n", "stun.cidr", 4, []string{"「サービスご紹介資料」"}},
		{"placeholder recording", "server:\n  ip: 203.0.113.10\nrecording:\n  ip: YYY.YYY.YYY.YYY\n", "recording.ip", 4, []string{"「ご利用案内」"}},
		{"placeholder uniConnect", "server:\n  ip: 203.0.113.10\nuniconnect:\n  ip: ZZZ.ZZZ.ZZZ.ZZZ\n", "uniconnect.ip", 4, []string{"「ご利用案内」"}},
		{"STUN port 0", "server:\n  ip: 203.0.113.10\nstun:\n  servers:\n    - 198.51.100.20:3478\n    - 198.51.100.21:0\n", "stun.servers[1]", 6, []string{"bad port", "1-65535"}},
		{"STUN port 5000", "server:\n  ip: 203.0.113.10\nstun:\n  servers: [198.51.100.20:5000]\n", "stun.servers[0]", 4, []string{"3478", "3479"}},
		{"reflector port 0", "server:\n  ip: 203.0.113.10\nreflector:\n  addr: 198.51.100.40:0\n", "reflector.addr", 4, []string{"bad port"}},
		{"reflector port 70000", "server:\n  ip: 203.0.113.10\nreflector:\n  addr: 198.51.100.40:70000\n", "reflector.addr", 4, []string{"bad port"}},
		{"NTP with /32", "server:\n  ip: 203.0.113.10\nntp: 210.235.12.2/32\n", "ntp", 3, []string{"without a /prefix"}},
		{"STUN range in servers", "server:\n  ip: 203.0.113.10\nstun:\n  servers: [198.51.100.0/28]\n", "stun.servers[0]", 4, []string{"stun.cidr"}},
		{"bad CIDR", "server:\n  ip: 203.0.113.10\nstun:\n  cidr: 198.51.100.0/33\n", "stun.cidr", 4, []string{"CIDR"}},
		{"unknown vendor", "server:\n  ip: 203.0.113.10\nvendor: acme\n", "vendor", 3, []string{`"acme"`, "yamaha", "nftables"}},
		{"negative channels", "server:\n  ip: 203.0.113.10\nchannels: -1\n", "channels", 3, []string{"1-2000"}},
		{"channels not a number", "server:\n  ip: 203.0.113.10\nchannels: ten\n", "channels", 3, []string{"wrong type", `"ten"`}},
		{"list where a name belongs", "server:\n  host: [a, b]\n", "server.host", 2, []string{"wrong kind of value"}},
		{"wrong YAML", "server:\n  ip: 203.0.113.10\n   host: x\n", "yaml", 3, []string{"not valid YAML"}},
		{"tab indentation", "server:\n\tip: 203.0.113.10\n", "yaml", 2, []string{"not valid YAML"}},
		{"bad pin", "server:\n  ip: 203.0.113.10\ntls:\n  pin_sha256: [abc]\n", "tls.pin_sha256[0]", 4, []string{"SHA-256"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse([]byte(tc.yaml), "site.yaml")
			if err == nil {
				t.Fatalf("accepted: %+v", p)
			}
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not *profile.Error", err, err)
			}
			if pe.Field != tc.field || pe.Line != tc.line || pe.File != "site.yaml" {
				t.Errorf("got file %q line %d field %q, want site.yaml line %d field %q (%v)", pe.File, pe.Line, pe.Field, tc.line, tc.field, err)
			}
			both := pe.In(content.Ja) + "\n" + pe.In(content.En)
			for _, w := range tc.want {
				if !strings.Contains(both, w) {
					t.Errorf("message does not say %q:\n%s", w, both)
				}
			}
			if strings.Contains(pe.In(content.En), "\n") {
				t.Errorf("message is not one line: %q", pe.In(content.En))
			}
		})
	}
}

func TestGoodValuesAccepted(t *testing.T) {
	for _, y := range []string{
		"server: {host: s0123456789ab.u.biztel.jp}\n",
		"server: {ip: 203.0.113.10, vpn_ip: 10.0.0.10}\nntp: ntp.example.jp\n",
		"server: {ip: 203.0.113.10}\nstun: {servers: [stun.example.jp:3479, 198.51.100.20], cidr: 198.51.100.0/28}\n",
		"server: {ip: 203.0.113.10}\nreflector: {addr: \"198.51.100.40:5070\", token: s3cret}\nvendor: yamaha\n",
		"server: {ip: 203.0.113.10}\ntls: {pin_sha256: [\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"]}\n",
	} {
		if _, err := Parse([]byte(y), "ok.yaml"); err != nil {
			t.Errorf("%q: %v", y, err)
		}
	}
}

func TestOptionDefaults(t *testing.T) {
	p, err := Parse([]byte("server: {ip: 203.0.113.10}\n"), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"encryption": true, "webrtc": true, "hardphone": true, "recording_download": false, "uniconnect": false}
	for o, w := range want {
		if p.Option(o) != w {
			t.Errorf("default %s = %v, want %v", o, p.Option(o), w)
		}
	}
	if p.VPN() || p.NTPServer() != DefaultNTP || p.CallCount() != 1 {
		t.Errorf("vpn %v ntp %s calls %d", p.VPN(), p.NTPServer(), p.CallCount())
	}
	// A recording or uniConnect server turns its option on; an explicit
	// false wins.
	p, err = Parse([]byte("server: {ip: 203.0.113.10, vpn_ip: 10.0.0.10}\nrecording: {ip: 203.0.113.11}\nuniconnect: {ip: 203.0.113.12}\noptions: {webrtc: false}\n"), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Option("recording_download") || !p.Option("uniconnect") || p.Option("webrtc") || !p.VPN() || p.ServerAddr() != "10.0.0.10" {
		t.Errorf("options %v vpn %v addr %s", p.OptionSet(), p.VPN(), p.ServerAddr())
	}
	p, _ = Parse([]byte("server: {ip: 203.0.113.10}\nrecording: {ip: 203.0.113.11}\noptions: {recording_download: false}\n"), "p.yaml")
	if p.Option("recording_download") {
		t.Error("explicit recording_download: false ignored")
	}
	if p.Option("no-such-option") {
		t.Error("unknown option reads as on")
	}
	// Every option content knows is an option the profile answers.
	set := p.OptionSet()
	for _, o := range content.AllOptions {
		if _, ok := set[o]; !ok {
			t.Errorf("content option %q unknown to the profile", o)
		}
	}
}

func buildFlags(t *testing.T, args ...string) (*Profile, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f Flags
	f.Register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("flag parse: %v", err)
	}
	return f.Build()
}

func TestFlagOverrides(t *testing.T) {
	p, err := buildFlags(t, "--server", "1.2.3.4")
	if err != nil || p.Server.IP != "1.2.3.4" || p.Server.Host != "" {
		t.Fatalf("--server IP: %+v %v", p, err)
	}
	p, err = buildFlags(t, "--server", "s0123456789ab.u.biztel.jp", "--stun", "198.51.100.20:3478, 198.51.100.21", "--channels", "8", "--vendor", "fortigate", "--recording", "rec.example.jp")
	if err != nil {
		t.Fatal(err)
	}
	if p.Server.Host != "s0123456789ab.u.biztel.jp" || p.Server.IP != "" || len(p.STUN.Servers) != 2 || p.Channels != 8 || p.Vendor != "fortigate" || p.Recording.Host != "rec.example.jp" {
		t.Errorf("flags not applied: %+v", p)
	}
	if !p.Option("recording_download") {
		t.Error("--recording should turn on recording_download by default")
	}

	// Flags override the file; the file may leave out what flags give.
	dir := t.TempDir()
	path := filepath.Join(dir, "site.yaml")
	if err := os.WriteFile(path, []byte("stun:\n  servers: [198.51.100.20]\nvendor: yamaha\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err = buildFlags(t, "--profile", path, "--server-ip", "203.0.113.10", "--vpn-ip", "10.0.0.10", "--ntp", "ntp.example.jp", "--vendor", "nec-ix")
	if err != nil {
		t.Fatal(err)
	}
	if p.Server.IP != "203.0.113.10" || !p.VPN() || p.NTPServer() != "ntp.example.jp" || p.Vendor != "nec-ix" || p.STUN.Servers[0] != "198.51.100.20" {
		t.Errorf("merge: %+v", p)
	}
	// Without the flag the same file names its own missing field.
	_, err = buildFlags(t, "--profile", path)
	var pe *Error
	if !errors.As(err, &pe) || pe.Field != "server" || pe.File != path {
		t.Errorf("want a server error in %s, got %v", path, err)
	}
}

func TestBadFlagsNameTheFlag(t *testing.T) {
	cases := []struct {
		args []string
		flag string
		want string
	}{
		{[]string{"--server", "XXX.XXX.XXX.XXX"}, "--server", "「ご利用案内」"},
		{[]string{"--server", "2001:db8::1"}, "--server", "IPv6"},
		{[]string{"--server-ip", "1.2.3"}, "--server-ip", "not an IP"},
		{[]string{"--server", "s0123456789ab.u.biztel.jp", "--stun", "198.51.100.20:5000"}, "--stun", "3478"},
		{[]string{"--server", "s0123456789ab.u.biztel.jp", "--vendor", "acme"}, "--vendor", "yamaha"},
		{[]string{"--server", "s0123456789ab.u.biztel.jp", "--channels", "-3"}, "--channels", "1-2000"},
		{[]string{"--server", "s0123456789ab.u.biztel.jp", "--reflector", "198.51.100.40:0"}, "--reflector", "bad port"},
		{[]string{"--vpn-ip", "10.0.0.10"}, "--vpn-ip", ""}, // vpn_ip alone is fine only with a server; see below
		{[]string{}, "--server", "server.host"},
	}
	for _, tc := range cases {
		_, err := buildFlags(t, tc.args...)
		if tc.flag == "--vpn-ip" {
			// A VPN IP is the server's address too, but server.host or
			// server.ip is still required.
			var pe *Error
			if !errors.As(err, &pe) || pe.Field != "--server" {
				t.Errorf("%v: got %v, want the missing --server named", tc.args, err)
			}
			continue
		}
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%v: got %v, want *Error", tc.args, err)
			continue
		}
		if pe.Field != tc.flag || !strings.Contains(pe.In(content.Ja)+pe.In(content.En), tc.want) {
			t.Errorf("%v: got field %q message %q; want %s mentioning %q", tc.args, pe.Field, pe.In(content.En), tc.flag, tc.want)
		}
	}
}

func TestMissingProfileFile(t *testing.T) {
	_, err := buildFlags(t, "--profile", filepath.Join(t.TempDir(), "nope.yaml"))
	var pe *Error
	if !errors.As(err, &pe) || pe.Field != "--profile" || !strings.Contains(pe.Error(), "cannot open") {
		t.Errorf("got %v", err)
	}
}

func TestOversizeProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, make([]byte, MaxFileSize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "not a profile") {
		t.Errorf("got %v", err)
	}
}

func TestRedacted(t *testing.T) {
	p, err := Parse([]byte(goodProfile+"reflector: {addr: 198.51.100.40, token: tok-SECRET}\nftps: {user: alice, password: pw-SECRET}\ntls: {pin_sha256: [\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"]}\n"), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := p.Redacted()
	if r.FTPS != (FTPS{}) || r.Reflector.Token != "" {
		t.Errorf("secrets left: %+v %+v", r.FTPS, r.Reflector)
	}
	if r.Reflector.Addr != "198.51.100.40" || r.Server != p.Server || len(r.TLS.PinSHA256) != 1 {
		t.Errorf("redaction removed more than secrets: %+v", r)
	}
	// The original is untouched, and the copy shares no slices with it.
	if p.FTPS.Password != "pw-SECRET" || p.Reflector.Token != "tok-SECRET" {
		t.Error("Redacted modified the original")
	}
	r.STUN.Servers[0] = "changed"
	if p.STUN.Servers[0] == "changed" {
		t.Error("Redacted shares stun.servers with the original")
	}
}
