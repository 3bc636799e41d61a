//go:build linux

package benchsite

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/internal/override"
)

// mgmtHost is the site's management hostname: under .test (RFC 6761), so
// even a lookup that escaped the fake resolver would name nothing real.
const mgmtHost = "mgmt.bench.test"

// site is what a mode started: the override for check, the profile, and
// the ports the comparison tools use.
type site struct {
	ov      override.File
	profile string            // site.yaml
	peers   map[string]string // peers.env
	ca      *checktest.CA
}

func port(n int) *content.PortRange { return &content.PortRange{From: n, To: n} }

// healthySite starts every fake answering as a healthy BIZTEL server would.
func healthySite(t testing.TB) *site {
	ca := checktest.NewCA(t, "biztel-doctor bench CA", "Bench")
	cert := ca.Issue(t, mgmtHost, "127.0.0.1")
	s := &site{ca: ca, peers: map[string]string{"TLS_NAME": mgmtHost}}
	o := &s.ov.Ports

	tlsPort := checktest.Port(t, checktest.TLSServer(t, cert, checktest.SIPStreamResponder(nil)))
	wssPort := checktest.Port(t, checktest.WebServer(t, cert, checktest.WebConfig{Subprotocols: []string{"sip"}, AnswerSIP: true}))
	webPort := checktest.Port(t, checktest.WebServer(t, cert, checktest.WebConfig{Server: "bench"}))
	lns := checktest.ListenRange(t, 10)
	ftpsPort := checktest.Port(t, checktest.FTPSServer(t, checktest.FTPSConfig{Cert: cert, Passive: lns[4:5]}))
	o.SIPTLS, o.SIPWSS, o.Web, o.FTPSControl = port(tlsPort), port(wssPort), port(webPort), port(ftpsPort)
	o.FTPSPassive = &content.PortRange{From: lnPort(lns[0]), To: lnPort(lns[len(lns)-1])}
	s.peers["SIPTLS_PORT"] = fmt.Sprint(tlsPort)
	s.peers["WSS_PORT"] = fmt.Sprint(wssPort)
	s.peers["WEB_PORT"] = fmt.Sprint(webPort)
	s.peers["FTPS_PORT"] = fmt.Sprint(ftpsPort)

	startUDPPeers(t, s, false)
	startReflector(t, s, false)
	s.profile = siteProfile(s)
	return s
}

// blackholeSite points every port at a sink: UDP datagrams are read and
// dropped, TCP SYNs are dropped by a listener whose accept queue is full
// (the client retransmits until its own deadline, as behind a firewall
// that drops), DNS and SSDP get no answer.
func blackholeSite(t testing.TB) *site {
	ca := checktest.NewCA(t, "biztel-doctor bench CA", "Bench")
	s := &site{ca: ca, peers: map[string]string{"TLS_NAME": mgmtHost}}
	tcp := synBlackhole(t)
	o := &s.ov.Ports
	o.SIPTLS, o.SIPWSS, o.Web, o.FTPSControl = port(tcp), port(tcp), port(tcp), port(tcp)
	o.FTPSPassive = port(tcp)
	startUDPPeers(t, s, true)
	startReflector(t, s, true)
	s.profile = siteProfile(s)
	return s
}

func lnPort(ln net.Listener) int { return ln.Addr().(*net.TCPAddr).Port }

// synBlackholeProbe bounds the test connections that fill the accept
// queue: on loopback a handshake completes in microseconds, so 200 ms
// without one means SYNs are being dropped.
const synBlackholeProbe = 200 * time.Millisecond

// synBlackhole listens on 127.0.0.1 with a backlog of 0 and fills the
// accept queue with its own connections; after that Linux drops every SYN
// (LISTENOVERFLOWS), which is what a filtering firewall looks like to a
// client, without root or packet filters.
func synBlackhole(t testing.TB) int {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	p := sa.(*syscall.SockaddrInet4).Port
	addr := net.JoinHostPort("127.0.0.1", fmt.Sprint(p))
	for range 8 {
		c, err := net.DialTimeout("tcp4", addr, synBlackholeProbe)
		if err != nil {
			return p // the queue is full: SYNs are dropped from now on
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Fatalf("synBlackhole: %s kept completing handshakes", addr)
	return 0
}

// siteProfile is the profile of the bench site (site.yaml).
func siteProfile(s *site) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# biztel-doctor bench site: every address is loopback\n")
	fmt.Fprintf(&b, "server: {host: %s, ip: 127.0.0.1}\n", mgmtHost)
	fmt.Fprintf(&b, "stun: {servers: [%s]}\n", strings.Join(stunIPs, ", "))
	fmt.Fprintf(&b, "recording: {host: %s, ip: 127.0.0.1}\n", mgmtHost)
	fmt.Fprintf(&b, "ntp: 127.0.0.1\n")
	fmt.Fprintf(&b, "options: {encryption: true, webrtc: true, hardphone: true, recording_download: true}\n")
	fmt.Fprintf(&b, "reflector: {addr: 127.0.0.1, token: %s}\n", reflectorToken)
	fmt.Fprintf(&b, "channels: 2\n")
	return b.String()
}

// write saves the site's files; ready comes last.
func (s *site) write(t testing.TB, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	caPath := filepath.Join(dir, "ca.pem")
	s.ov.RootCAFile = caPath
	var peers []string
	for k, v := range s.peers {
		peers = append(peers, k+"="+v)
	}
	sort.Strings(peers)
	files := map[string]string{
		"ca.pem":    string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ca.Cert.Raw})),
		"site.yaml": s.profile,
		"flags":     "--profile\n" + filepath.Join(dir, "site.yaml") + "\n",
		"peers.env": strings.Join(peers, "\n") + "\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.ov.Write(filepath.Join(dir, "override.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ready"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestServeSite serves a site for scripts/bench.sh until SIGTERM.
func TestServeSite(t *testing.T) {
	mode, dir := os.Getenv("BENCHSITE_MODE"), os.Getenv("BENCHSITE_DIR")
	if mode == "" || dir == "" {
		t.Skip("benchsite: serves only for scripts/bench.sh (set BENCHSITE_MODE=healthy|blackhole and BENCHSITE_DIR)")
	}
	var s *site
	switch mode {
	case "healthy":
		s = healthySite(t)
	case "blackhole":
		s = blackholeSite(t)
	default:
		t.Fatalf("BENCHSITE_MODE %q: want healthy or blackhole", mode)
	}
	s.write(t, dir)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	<-ctx.Done()
}

// TestSitesStart is the harness's own test: both sites start, their files
// load, the healthy TLS peer verifies against ca.pem, and the blackhole's
// TCP port really drops SYNs.
func TestSitesStart(t *testing.T) {
	healthy := healthySite(t)
	dir := t.TempDir()
	healthy.write(t, dir)
	ov, err := override.Load(filepath.Join(dir, "override.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if ov.Ports.SIPTLS == nil || ov.RootCAFile == "" || ov.Ports.Reflector == nil || ov.Ports.ReflectorRTP == nil {
		t.Fatalf("healthy override incomplete: %+v", ov)
	}
	for _, f := range []string{"site.yaml", "flags", "peers.env", "ca.pem", "ready"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	conn, err := tls.Dial("tcp4", fmt.Sprintf("127.0.0.1:%d", ov.Ports.SIPTLS.From), &tls.Config{ServerName: mgmtHost, RootCAs: healthy.ca.Pool()})
	if err != nil {
		t.Fatalf("healthy SIP/TLS peer: %v", err)
	}
	conn.Close()

	hole := blackholeSite(t)
	hole.write(t, t.TempDir())
	addr := fmt.Sprintf("127.0.0.1:%d", hole.ov.Ports.Web.From)
	if c, err := net.DialTimeout("tcp4", addr, synBlackholeProbe); err == nil {
		c.Close()
		t.Fatalf("blackhole %s accepted a connection", addr)
	}
}
