package checks

import (
	"crypto/x509/pkix"
	"testing"
)

func TestMatchInspection(t *testing.T) {
	for _, tc := range []struct {
		issuer pkix.Name
		want   string
	}{
		{pkix.Name{CommonName: "FortiGate CA", Organization: []string{"Fortinet"}}, "Fortinet FortiGate"},
		{pkix.Name{CommonName: "fortigate ca"}, "Fortinet FortiGate"},                  // case-insensitive
		{pkix.Name{OrganizationalUnit: []string{"Zscaler Inc. Root"}}, "Zscaler"},      // OU counts
		{pkix.Name{CommonName: "R11", Organization: []string{"Let's Encrypt"}}, ""},    // a public CA
		{pkix.Name{CommonName: "Private Root", Organization: []string{"Example"}}, ""}, // a private CA
	} {
		p, _ := matchInspection(testInspection, tc.issuer)
		got := ""
		if p != nil {
			got = p.Name
		}
		if got != tc.want {
			t.Errorf("%v: matched %q, want %q", tc.issuer, got, tc.want)
		}
	}
}

func TestTLSProxyFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{nil, ""},
		{map[string]string{"HTTPS_PROXY": "http://user:pw@proxy.corp.invalid:8080"}, "HTTPS_PROXY=proxy.corp.invalid:8080"},
		{map[string]string{"all_proxy": "user:pw@10.0.0.1:3128"}, "all_proxy=10.0.0.1:3128"},
		{map[string]string{"http_proxy": "proxy.invalid:80", "HTTPS_PROXY": "s.invalid:443"}, "HTTPS_PROXY=s.invalid:443"},
	} {
		got := tlsProxyFromEnv(func(k string) string { return tc.env[k] })
		if got != tc.want {
			t.Errorf("%v: %q, want %q", tc.env, got, tc.want)
		}
	}
}
