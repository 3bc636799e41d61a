package override

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks"
	"github.com/biztel-tools/biztel-doctor/content"
)

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadAppliesPortsAndKeepsTheRest(t *testing.T) {
	path := writeFile(t, "o.yaml", "ports:\n  sip_udp: 40001\n  stun_primary: 40002\n  rtp: 41000-41019\n")
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	p := checks.DefaultPorts()
	if err := f.ApplyPorts(&p); err != nil {
		t.Fatal(err)
	}
	want := checks.DefaultPorts()
	want.SIPUDP, want.STUNPrimary, want.RTP = 40001, 40002, content.PortRange{From: 41000, To: 41019}
	if p != want {
		t.Errorf("ports %+v\nwant  %+v", p, want)
	}
}

func TestLoadRefusesBadFiles(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"ports:\n  sip: 5060\n", "sip"},               // unknown key, named
		{"port: {sip_udp: 1}\n", "port"},               // typo at the top
		{"ports:\n  sip_udp: 5060-5070\n", "one port"}, // a range where one port goes
		{"ports:\n  rtp: 20000-10000\n", "line 2"},     // backwards range
		{"ports:\n  ntp: 70000\n", "line 2"},           // out of range
		{"ssdp_addr: 127.0.0.1\n", "ssdp_addr"},        // no port
		{"dns_servers: [127.0.0.1:53, nope]\n", "dns_servers[1]"},
		{"ssdp_window_ms: -5\n", "ssdp_window_ms"},
	} {
		_, err := Load(writeFile(t, "bad.yaml", tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want one naming %q", tc.body, err, tc.want)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("a missing file loaded")
	}
}

func TestWriteLoadRoundTrip(t *testing.T) {
	sip := content.PortRange{From: 40001, To: 40001}
	rtp := content.PortRange{From: 41000, To: 41009}
	in := &File{Ports: Ports{SIPUDP: &sip, RTP: &rtp}, SSDPAddr: "127.0.0.1:40010", SSDPWindowMS: 200,
		DNSServers: []string{"127.0.0.1:40011"}, Resolver: "127.0.0.1:40011"}
	path := filepath.Join(t.TempDir(), "o.yaml")
	if err := in.Write(path); err != nil {
		t.Fatal(err)
	}
	out, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if *out.Ports.SIPUDP != sip || *out.Ports.RTP != rtp || out.SSDPAddr != in.SSDPAddr || out.Resolver != in.Resolver ||
		out.SSDPWindowMS != 200 || len(out.DNSServers) != 1 || out.Ports.Web != nil {
		t.Errorf("round trip: %+v", out)
	}
}

func TestApplyEnv(t *testing.T) {
	caPath := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caPath, selfSignedPEM(t), 0o644); err != nil {
		t.Fatal(err)
	}
	f := &File{SSDPAddr: "127.0.0.1:40010", SSDPWindowMS: 250, DNSServers: []string{"127.0.0.1:40011"},
		Resolver: "127.0.0.1:1", RootCAFile: caPath, HostsFile: "/tmp/hosts", ResolvConf: "/tmp/resolv.conf"}
	env := checks.SystemEnv("test")
	if err := f.ApplyEnv(env); err != nil {
		t.Fatal(err)
	}
	if env.SSDPAddr != f.SSDPAddr || env.SSDPWindow != 250*time.Millisecond || env.DNSServers[0] != "127.0.0.1:40011" ||
		env.HostsFile != "/tmp/hosts" || env.ResolvConf != "/tmp/resolv.conf" || env.RootCAs == nil {
		t.Errorf("env not overridden: %+v", env)
	}
	// The stand-in resolver goes to 127.0.0.1:1 (nothing listens), never the system resolver.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if _, err := env.Resolver.LookupIPAddr(ctx, "s0123456789ab.u.biztel.jp"); err == nil {
		t.Error("lookup succeeded: the override resolver did not replace the system one")
	}

	bad := &File{RootCAFile: writeFile(t, "ca.pem", "not a certificate")}
	if err := bad.ApplyEnv(checks.SystemEnv("test")); err == nil || !strings.Contains(err.Error(), "no PEM") {
		t.Errorf("bad CA file: %v", err)
	}
}

func selfSignedPEM(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bench CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
