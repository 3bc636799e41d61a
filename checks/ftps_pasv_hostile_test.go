package checks

import (
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
)

func TestParsePassiveReplies(t *testing.T) {
	t.Parallel()
	pasv := []struct {
		code      int
		msg, host string
		port      int
		ok        bool
	}{
		{227, "Entering Passive Mode (203,0,113,11,82,16).", "203.0.113.11", 21008, true},
		{227, "=203,0,113,11,82,16", "203.0.113.11", 21008, true},
		{227, "Entering Passive Mode (127,0,0,1,0,0).", "", 0, false},   // port 0
		{227, "Entering Passive Mode (999,0,0,1,82,16).", "", 0, false}, // not a byte
		{227, "Entering Passive Mode (1,2,3,4,999,999).", "", 0, false}, // port > 65535
		{227, "Entering Passive Mode (1,2,3,4,256,0).", "", 0, false},   // p1 not a byte
		{200, "Entering Passive Mode (1,2,3,4,82,16).", "", 0, false},   // wrong code
		{227, "Entering Passive Mode.", "", 0, false},
	}
	for _, c := range pasv {
		host, port, ok := parsePASV(c.code, c.msg)
		if host != c.host || port != c.port || ok != c.ok {
			t.Errorf("parsePASV(%d, %q) = %q, %d, %v; want %q, %d, %v", c.code, c.msg, host, port, ok, c.host, c.port, c.ok)
		}
	}
	epsv := []struct {
		code int
		msg  string
		port int
		ok   bool
	}{
		{229, "Entering Extended Passive Mode (|||20995|)", 20995, true},
		{229, "Entering Extended Passive Mode (|||0|)", 0, false},
		{229, "Entering Extended Passive Mode (|||99999|)", 0, false},
		{229, "Entering Extended Passive Mode (|1|2|3|)", 0, false},
		{200, "(|||20995|)", 0, false},
	}
	for _, c := range epsv {
		port, ok := parseEPSV(c.code, c.msg)
		if port != c.port || ok != c.ok {
			t.Errorf("parseEPSV(%d, %q) = %d, %v; want %d, %v", c.code, c.msg, port, ok, c.port, c.ok)
		}
	}
}

// TestFTPSPassiveBogusOffer: a PASV answer offering port 0 or numbers that
// are not bytes used to read as "the data connection opened" (port 0) or a
// dial error; it is a protocol failure naming the reply.
func TestFTPSPassiveBogusOffer(t *testing.T) {
	t.Parallel()
	for _, reply := range []string{
		"227 Entering Passive Mode (127,0,0,1,0,0).",
		"227 Entering Passive Mode (127,0,0,1,999,999).",
		"227 Entering Passive Mode (300,0,0,1,82,16).",
	} {
		t.Run(reply, func(t *testing.T) {
			t.Parallel()
			b := ftpsBed(t)
			passiveSetup(b, checktest.ListenRange(t, 2))
			addr := checktest.FTPSServer(t, checktest.FTPSConfig{Cert: b.serverCert(), PASVReply: reply})
			b.opt.Ports.FTPSControl = checktest.Port(t, addr)
			r := b.run("ftps.passive", 0)
			tcpWant{status: Fail, facts: map[string]any{"control_result": "protocol", "control_stopped_at": "pasv"},
				absent: []string{"pasv_port"}, remedies: []string{"allow-ftps"}}.check(t, r)
			if !strings.Contains(r.Summary.En, "PASV") {
				t.Errorf("summary does not name the PASV reply: %s", r.Summary.En)
			}
		})
	}
}
