package profile

import (
	"errors"
	"strings"
	"testing"
)

// TestParseRefusesWhatWouldMislead: profiles found by hand that used to be
// accepted and then made the checks probe the wrong thing.
func TestParseRefusesWhatWouldMislead(t *testing.T) {
	cases := []struct{ name, yaml, field, want string }{
		{"0.0.0.0 reaches this machine", "server: {ip: 0.0.0.0}\n", "server.ip", "not a server address"},
		{"broadcast", "server: {ip: 255.255.255.255}\n", "server.ip", "not a server address"},
		{"multicast vpn ip", "server: {ip: 203.0.113.10, vpn_ip: 239.1.1.1}\n", "server.vpn_ip", "not a server address"},
		{"second document ignored", "server: {ip: 203.0.113.10}\n---\nserver: {ip: 198.51.100.1}\n", "---", "more than one YAML document"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "site.yaml")
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *profile.Error", err)
			}
			if pe.Field != tc.field || !strings.Contains(pe.Error(), tc.want) || pe.Message.Ja == "" {
				t.Errorf("err = %q (field %q), want field %q and %q", pe.Error(), pe.Field, tc.field, tc.want)
			}
		})
	}
	if _, err := Parse([]byte("---\nserver: {ip: 127.0.0.1}\n...\n"), "site.yaml"); err != nil {
		t.Errorf("one document with markers: %v", err)
	}
}
