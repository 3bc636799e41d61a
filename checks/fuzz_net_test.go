package checks

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/biztel-tools/biztel-doctor/probe/resolve"
	"github.com/biztel-tools/biztel-doctor/probe/sipmsg"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Fuzz targets for everything a check reads from the network. Each asserts
// the standards' properties: no panic, no hang, a status that means what it
// says. Seed corpora live in testdata/fuzz/<FuzzName>/.

// datagramConn is a connected UDP socket stand-in: writes are kept, the
// first read returns reply(request), later reads report ICMP unreachable so
// a transaction ends at once.
type datagramConn struct {
	reply func(req []byte) []byte
	req   []byte
	reads int
}

func (c *datagramConn) Write(b []byte) (int, error) {
	c.req = append([]byte(nil), b...)
	return len(b), nil
}
func (c *datagramConn) Read(b []byte) (int, error) {
	c.reads++
	if c.reads > 1 || c.req == nil {
		return 0, &net.OpError{Op: "read", Net: "udp", Err: syscall.ECONNREFUSED}
	}
	return copy(b, c.reply(c.req)), nil
}
func (c *datagramConn) Close() error { return nil }
func (c *datagramConn) LocalAddr() net.Addr {
	return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
}
func (c *datagramConn) RemoteAddr() net.Addr {
	return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5060}
}
func (c *datagramConn) SetDeadline(time.Time) error      { return nil }
func (c *datagramConn) SetReadDeadline(time.Time) error  { return nil }
func (c *datagramConn) SetWriteDeadline(time.Time) error { return nil }

// datagramDialer hands out a datagramConn for every dial.
type datagramDialer struct{ reply func(req []byte) []byte }

func (d datagramDialer) DialContext(_ context.Context, network, _ string) (net.Conn, error) {
	if !strings.HasPrefix(network, "udp") {
		return nil, errors.New("fuzz: only UDP")
	}
	return &datagramConn{reply: d.reply}, nil
}

// assertHonest holds a result to the report's rules.
func assertHonest(t *testing.T, r Result) {
	t.Helper()
	switch r.Status {
	case Pass, Warn, Fail, Skip, Error:
	default:
		t.Fatalf("%s: status %q", r.ID, r.Status)
	}
	if (r.Status == Warn || r.Status == Fail) && len(r.Remedies) == 0 {
		t.Fatalf("%s: %s without a remedy: %s", r.ID, r.Status, r.Summary.En)
	}
	if r.Summary.Ja == "" || r.Summary.En == "" {
		t.Fatalf("%s: summary missing a language", r.ID)
	}
}

func sipTx(req []byte) (branch, callID string) {
	for _, line := range strings.Split(string(req), "\r\n") {
		if v, ok := strings.CutPrefix(line, "Call-ID: "); ok {
			callID = v
		}
		if _, rest, ok := strings.Cut(line, "branch="); ok && branch == "" {
			branch, _, _ = strings.Cut(rest, ";")
		}
	}
	return branch, callID
}

// FuzzSIPUDPReply: sip.udp with any datagram as the answer. "BRANCH" and
// "CALLID" in the input become our transaction's, so the fuzzer reaches the
// code that reads a matching response.
func FuzzSIPUDPReply(f *testing.F) {
	f.Add([]byte("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:40000;branch=BRANCH;rport=40000;received=127.0.0.1\r\nCall-ID: CALLID\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nContent-Length: 0\r\n\r\n"))
	f.Add([]byte("SIP/2.0 100 Trying\r\nVia: SIP/2.0/UDP 127.0.0.1:40000;branch=BRANCH\r\nCall-ID: CALLID\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"))
	f.Add([]byte("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP x;branch=BRANCH;rport=99999999999999999999\r\nCall-ID: CALLID\r\nContent-Length: 5\r\n\r\n"))
	f.Add([]byte("SSH-2.0-OpenSSH\r\n"))
	f.Add([]byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		env := testEnv(t)
		env.Dialer = datagramDialer{reply: func(req []byte) []byte {
			br, id := sipTx(req)
			return bytes.ReplaceAll(bytes.ReplaceAll(data, []byte("BRANCH"), []byte(br)), []byte("CALLID"), []byte(id))
		}}
		r := runCheck(t, "sip.udp", &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}}, DefaultOptions(), env.withDefaults(), nil)
		assertHonest(t, r)
		if r.Status == Pass && !bytes.HasPrefix(data, []byte("SIP/2.0 ")) {
			t.Fatalf("passed on a reply that is not SIP: %q", data)
		}
	})
}

// FuzzSIPStreamReply: the framing and parsing of sip.tls and sip.wss answers.
func FuzzSIPStreamReply(f *testing.F) {
	f.Add([]byte("SIP/2.0 200 OK\r\nVia: SIP/2.0/TLS h;branch=z9hG4bK1;received=1.2.3.4;rport=5\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nServer: kamailio\r\nContent-Length: 0\r\n\r\n"))
	f.Add([]byte("\r\n\r\nOPTIONS sip:x SIP/2.0\r\nl: 3\r\n\r\nabcSIP/2.0 100 Trying\r\n\r\nSIP/2.0 486 Busy\r\nl: 0\r\n\r\n"))
	f.Add([]byte("SIP/2.0 200 OK\r\nContent-Length: 65536\r\n\r\n"))
	f.Add([]byte("SIP/2.0 200 OK\r\nContent-Length: -1\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 400 Bad Request\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := sipmsg.ReadStreamResponse(bufio.NewReaderSize(bytes.NewReader(data), 4096))
		if err == nil {
			if res == nil || res.StatusCode < 200 {
				t.Fatalf("no error but response %v", res)
			}
			f := Facts{}
			sipResponseFacts(f, res)
			if _, ok := f["sip_status"]; !ok {
				t.Fatal("no sip_status fact")
			}
		}
	})
}

// FuzzNTPReply: ntp.hardphone with any datagram as the answer; when it is
// long enough, its origin timestamp is made to match our request.
func FuzzNTPReply(f *testing.F) {
	good := make([]byte, 48)
	good[0] = 0x24 // LI 0, version 4, mode 4 (server)
	good[1] = 2    // stratum
	copy(good[12:], "GPS\x00")
	f.Add(good)
	kod := append([]byte(nil), good...)
	kod[1] = 0
	copy(kod[12:], "RATE")
	f.Add(kod)
	f.Add([]byte("garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		env := testEnv(t)
		env.Dialer = datagramDialer{reply: func(req []byte) []byte {
			d := append([]byte(nil), data...)
			if len(d) >= 48 && len(req) >= 48 {
				copy(d[24:32], req[40:48])
			}
			return d
		}}
		r := runCheck(t, "ntp.hardphone", &profile.Profile{Server: profile.Server{IP: "127.0.0.1"}, NTP: "127.0.0.1"}, DefaultOptions(), env.withDefaults(), nil)
		assertHonest(t, r)
		if r.Status == Pass && len(data) < 48 {
			t.Fatalf("passed on a %d-byte reply", len(data))
		}
	})
}

// FuzzDNSAnswer: what dns.mgmt takes from a DNS answer it could unpack.
func FuzzDNSAnswer(f *testing.F) {
	m := new(dns.Msg)
	m.SetQuestion("s0123456789ab.u.biztel.jp.", dns.TypeA)
	r := new(dns.Msg)
	r.SetReply(m)
	rr, _ := dns.NewRR("s0123456789ab.u.biztel.jp. 300 IN A 10.0.0.10")
	cn, _ := dns.NewRR("s0123456789ab.u.biztel.jp. 300 IN CNAME other.example.")
	r.Answer = []dns.RR{cn, rr}
	b, _ := r.Pack()
	f.Add(b)
	r.Rcode = dns.RcodeNameError
	r.Answer = nil
	b, _ = r.Pack()
	f.Add(b)
	f.Add([]byte{0, 0, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		msg := new(dns.Msg)
		if msg.Unpack(data) != nil {
			return
		}
		a := resolve.Answer{Rcode: -1}
		a.Take(msg)
		for _, ip := range a.Addrs {
			if !ip.Is4() {
				t.Fatalf("non-IPv4 A record %v", ip)
			}
		}
		e := dnsEvidence{Expected: netip.MustParseAddr("10.0.0.10"), VPN: true, Answers: []resolve.Answer{a}}
		if judgeDNS(e) == "" {
			t.Fatal("no finding")
		}
	})
}
