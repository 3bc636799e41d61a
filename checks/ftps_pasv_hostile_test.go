package checks

import (
	"strings"
	"testing"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
)

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
