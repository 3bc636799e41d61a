package profile

import (
	"errors"
	"testing"
)

// FuzzParse: Parse never panics, and every error it returns is a *Error
// naming a field (what the CLI prints as one line and exits 2 on).
func FuzzParse(f *testing.F) {
	f.Add([]byte("server:\n  host: s0123456789ab.u.biztel.jp\n  ip: 203.0.113.10\n  vpn_ip: 10.0.0.10\nstun:\n  servers: [198.51.100.20:3478, 198.51.100.21]\n  cidr: 198.51.100.0/28\nrecording: {host: s0123456789ab.u.biztel.jp, ip: 203.0.113.11}\nntp: 210.235.12.2\nreflector: {addr: 198.51.100.40, token: t}\nvendor: yamaha\noptions: {encryption: true, webrtc: false}\nchannels: 10\nftps: {user: u, password: p}\ntls: {pin_sha256: [\"AAAA\"]}\n"))
	f.Add([]byte("server: {ip: XXX.XXX.XXX.XXX}\n"))
	f.Add([]byte("server:\n  ip: [1, 2]\nchannels: -1\nunknown: 1\n"))
	f.Add([]byte("&a [*a, *a]\n"))
	f.Add([]byte("server: &x {host: a}\nrecording: *x\n"))
	f.Add([]byte("\t- :\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "site.yaml")
		if err == nil && p == nil {
			t.Fatal("nil profile without an error")
		}
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v is not a *profile.Error", err, err)
			}
			if pe.Message.Ja == "" || pe.Message.En == "" {
				t.Fatalf("error without a message in both languages: %+v", pe)
			}
			return
		}
		if err := p.Validate(); err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Validate error %T %v is not a *profile.Error", err, err)
			}
		}
		_ = p.Redacted()
		_ = p.Vars("ja")
		_ = p.STUNEntries()
	})
}
