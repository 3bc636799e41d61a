package checks

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/biztel-tools/biztel-doctor/checks/checktest"
	"github.com/biztel-tools/biztel-doctor/profile"
)

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"kamailio 5.7":                "kamailio 5.7",
		"\x1b]0;pwned\x07\x1b[31mred": "\uFFFD]0;pwned\uFFFD\uFFFD[31mred",
		"a\u009b31mb":                 "a\uFFFD31mb",              // C1 CSI as a rune
		"Router\r\n 9. [OK] sip.udp":  "Router↵↵ 9. [OK] sip.udp", // no forged report line
		"tab\there":                   "tab here",
		"bad \xff utf8":               "bad \uFFFD utf8",
		"日本語のバナー":                     "日本語のバナー",
	} {
		if got := cleanText(in, 100); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
	long := cleanText(strings.Repeat("あ", 1000), 100)
	if !utf8.ValidString(long) || len(long) > 100+len("…") {
		t.Errorf("clipped text %q (%d bytes)", long, len(long))
	}
}

// TestHostileServerHeaderIsCleaned: a SIP server whose Server header carries
// terminal escape sequences. The runner's result (what every renderer and
// the TUI print) holds no control character.
func TestHostileServerHeaderIsCleaned(t *testing.T) {
	c := checktest.ListenUDP(t, "127.0.0.1", 0)
	go func() {
		buf := make([]byte, 65536)
		for {
			n, from, err := c.ReadFromUDP(buf)
			if err != nil {
				return
			}
			br, id := sipTx(buf[:n])
			resp := fmt.Sprintf("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=%s\r\nCall-ID: %s\r\nCSeq: 1 OPTIONS\r\n"+
				"From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nServer: \x1b]0;owned\x07\x1b[2J%s\r\nContent-Length: 0\r\n\r\n", br, id, strings.Repeat("A", 10000))
			_, _ = c.WriteToUDP([]byte(resp), from)
		}
	}()
	opt := DefaultOptions()
	opt.Only = []string{"sip.udp"}
	opt.Ports.SIPUDP = checktest.Port(t, c.LocalAddr().String())
	plan, err := MakePlan(&profile.Profile{Server: profile.Server{IP: "127.0.0.1"}}, opt)
	if err != nil {
		t.Fatal(err)
	}
	out := Run(context.Background(), plan, testEnv(t), nil)
	r := out.Results[0]
	if r.Status != Pass {
		t.Fatalf("sip.udp: %s %s", r.Status, r.Summary.En)
	}
	agent, _ := r.Facts["server_agent"].(string)
	if !strings.Contains(agent, "owned") || len(agent) > factTextLimit+len("…") {
		t.Errorf("server_agent = %.80q… (%d bytes), want the header cleaned and clipped", agent, len(agent))
	}
	for k, v := range r.Facts {
		if s, ok := v.(string); ok && strings.ContainsAny(s, "\x1b\x07") {
			t.Errorf("fact %s still holds control characters: %q", k, s)
		}
	}
}
