package checks

import (
	"context"
	"errors"
	"fmt"
	"github.com/biztel-tools/biztel-doctor/profile"
	"net"
	"strings"
	"testing"
)

// TestNetProxyUnreadableValue: a proxy variable Go cannot parse used to read
// as "NO_PROXY sends the BIZTEL server direct" (a pass) although NO_PROXY
// was empty. It is a warning, and the value is recorded as unreadable.
func TestNetProxyUnreadableValue(t *testing.T) {
	p := &profile.Profile{Server: profile.Server{Host: mgmtHost, IP: "203.0.113.10"}}
	env := testEnv(t)
	vars := map[string]string{"HTTPS_PROXY": "%zz"}
	env.Getenv = func(k string) string { return vars[k] }
	env.Host = fakeHost{}
	r := runCheck(t, "net.proxy", p, DefaultOptions(), env, nil)
	checkResult(t, r, want{status: Warn, remedies: []string{"remove-proxy"}, facts: map[string]any{"env_HTTPS_PROXY_unreadable": true}})
	if s := fmt.Sprint(r.Facts) + r.Summary.En + r.Summary.Ja; strings.Contains(s, "s3cret") {
		t.Errorf("the proxy password reached the result: %s", s)
	}
}

// sendFailListener gives UDP sockets on loopback whose sends all fail, as on
// a host without a multicast route.
type sendFailListener struct{}

func (sendFailListener) ListenPacket(ctx context.Context, network, _ string) (net.PacketConn, error) {
	c, err := (&net.ListenConfig{}).ListenPacket(ctx, network, "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	return sendFailConn{c}, nil
}

type sendFailConn struct{ net.PacketConn }

func (sendFailConn) WriteTo([]byte, net.Addr) (int, error) {
	return 0, errors.New("sendto: network is unreachable")
}

// TestUPnPSearchNotSent: when no M-SEARCH could be sent, the silence that
// follows proves nothing; upnp.igd used to pass ("no gateway answered").
func TestUPnPSearchNotSent(t *testing.T) {
	env := testEnv(t)
	env.Listener = sendFailListener{}
	r := runCheck(t, "upnp.igd", &profile.Profile{Server: profile.Server{IP: "203.0.113.10"}}, DefaultOptions(), env, nil)
	checkResult(t, r, want{status: Error, facts: map[string]any{"send_error": "sendto: network is unreachable"}})
}

// TestNTPPollMinus128: beevik/ntp panics on a reply whose poll field is
// -128; the check turns that into a failure naming an unusable reply
// (found by FuzzNTPReply).
func TestNTPPollMinus128(t *testing.T) {
	reply := make([]byte, 48)
	for i := 4; i < 48; i++ {
		reply[i] = '0' // non-zero timestamps, as in the fuzzer's input
	}
	reply[0], reply[1], reply[2] = 0x24, 2, 0x80 // server, stratum 2, poll -128
	env := testEnv(t)
	env.Dialer = datagramDialer{reply: func(req []byte) []byte {
		d := append([]byte(nil), reply...)
		copy(d[24:32], req[40:48]) // origin = our transmit time
		return d
	}}
	r := runCheck(t, "ntp.hardphone", &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}, NTP: "127.0.0.1"}, DefaultOptions(), env, nil)
	checkResult(t, r, want{status: Fail, remedies: []string{"allow-ntp"}, facts: map[string]any{"error": nil}})
	if !strings.Contains(r.Summary.En, "could not be decoded") {
		t.Errorf("summary %q does not say the reply was undecodable", r.Summary.En)
	}
}

// TestHostsFileLongLine: a line longer than 64 KiB (bufio.Scanner's default
// token size) used to end the scan with an error, losing the entries after
// it.
func TestHostsFileLongLine(t *testing.T) {
	data := "# " + strings.Repeat("x", 100<<10) + "\n10.0.0.10 " + mgmtHost + "\n"
	got, err := hostsEntries(writeFuzzFile(t, "hosts", []byte(data)), mgmtHost)
	if err != nil || joinAddrs(got) != "10.0.0.10" {
		t.Errorf("hostsEntries = %v, %v; want 10.0.0.10", got, err)
	}
}

// TestNATMappingPrerequisitesSkipped: with both STUN checks left out by
// --skip, nat.mapping has nothing to judge; it used to run and report an
// error (exit 1 for a deliberate choice). It skips, naming them.
func TestNATMappingPrerequisitesSkipped(t *testing.T) {
	opt := DefaultOptions()
	opt.Only = []string{"nat.mapping"}
	opt.Skip = []string{"stun.3478", "stun.3479"}
	plan, err := MakePlan(&profile.Profile{Server: profile.Server{IP: "127.0.0.1"}, STUN: profile.STUN{Servers: []string{"127.0.0.1"}}}, opt)
	if err != nil {
		t.Fatal(err)
	}
	out := Run(context.Background(), plan, testEnv(t), nil)
	if len(out.Results) != 1 || out.Results[0].Status != Skip || out.Results[0].Facts["prerequisites_left_out"] != "stun.3478, stun.3479" {
		t.Fatalf("results %+v", out.Results)
	}
}
