package sipmsg

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// BuildProbe writes a REGISTER or an INVITE (with SDP) that carries the
// local address everywhere an ALG looks: Via, Contact, From, SDP o= and c=.
func BuildProbe(method, transport string, local net.Addr, host, ua string) ([]byte, string) {
	ip, port := hostPortOf(local)
	callID := randHex(12)
	tp := strings.ToUpper(transport)
	var b strings.Builder
	target := "sip:" + host
	to := "<sip:biztel-doctor@" + ip + ">"
	if method == "INVITE" {
		target = "sip:echo@" + host
		to = "<sip:echo@" + host + ">"
	}
	fmt.Fprintf(&b, "%s %s SIP/2.0\r\n", method, target)
	fmt.Fprintf(&b, "Via: SIP/2.0/%s %s:%d;branch=z9hG4bK%s;rport\r\n", tp, ip, port, randHex(8))
	b.WriteString("Max-Forwards: 70\r\n")
	fmt.Fprintf(&b, "From: <sip:biztel-doctor@%s>;tag=%s\r\n", ip, randHex(4))
	fmt.Fprintf(&b, "To: %s\r\n", to)
	fmt.Fprintf(&b, "Call-ID: %s\r\n", callID)
	fmt.Fprintf(&b, "CSeq: 1 %s\r\n", method)
	fmt.Fprintf(&b, "Contact: <sip:biztel-doctor@%s:%d;transport=%s>\r\n", ip, port, transport)
	fmt.Fprintf(&b, "User-Agent: %s\r\n", ua)
	var body string
	if method == "INVITE" {
		// m= names the RTP port a softphone would use; ALGs that open
		// pinholes rewrite it too.
		body = fmt.Sprintf("v=0\r\no=biztel-doctor 1 1 IN IP4 %s\r\ns=biztel-doctor\r\nc=IN IP4 %s\r\nt=0 0\r\nm=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n", ip, ip, 10000+port%10000)
		b.WriteString("Content-Type: application/sdp\r\n")
	} else {
		b.WriteString("Expires: 0\r\n")
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(body), body)
	return []byte(b.String()), callID
}

func hostPortOf(a net.Addr) (string, int) {
	h, ps, _ := net.SplitHostPort(a.String())
	p, _ := strconv.Atoi(ps)
	return h, p
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// AddHeader inserts a header line before the blank line.
func AddHeader(msg []byte, name, value string) []byte {
	i := bytes.Index(msg, []byte("\r\n\r\n"))
	if i < 0 {
		return msg
	}
	var b bytes.Buffer
	b.Write(msg[:i+2])
	b.WriteString(name + ": " + value + "\r\n")
	b.Write(msg[i+2:])
	return b.Bytes()
}

// FieldChange is one field that arrived different from how it was sent.
type FieldChange struct {
	Field     string // header name, "start-line", or an SDP line type such as "c="
	Sent, Got string // "" for added/removed
}

// String is the change as a report shows it: "removed: …", "added: …"
// or "sent → got".
func (c FieldChange) String() string {
	switch {
	case c.Got == "":
		return "removed: " + c.Sent
	case c.Sent == "":
		return "added: " + c.Got
	}
	return c.Sent + " → " + c.Got
}

// Diff compares the request as sent with the request as the reflector
// received it, header by header (by name, in order) and SDP line by line
// (by type). The echo-protocol headers are ignored.
func Diff(sent, got []byte) []FieldChange {
	a, errA := wire.ParseSIP(sent)
	b, errB := wire.ParseSIP(got)
	if errA != nil || errB != nil {
		return []FieldChange{{Field: "message", Sent: "SIP", Got: "unparseable"}}
	}
	var out []FieldChange
	if a.StartLine != b.StartLine {
		out = append(out, FieldChange{"start-line", a.StartLine, b.StartLine})
	}
	names := headerNames(a, b)
	for _, n := range names {
		if n == wire.SIPAuthHeader || n == wire.SIPPadHeader {
			continue
		}
		va, vb := a.All(n), b.All(n)
		for i := 0; i < max(len(va), len(vb)); i++ {
			var x, y string
			if i < len(va) {
				x = va[i]
			}
			if i < len(vb) {
				y = vb[i]
			}
			if x != y {
				out = append(out, FieldChange{n, x, y})
			}
		}
	}
	out = append(out, diffSDP(string(a.Body), string(b.Body))...)
	return out
}

func headerNames(ms ...wire.SIPMessage) []string {
	var names []string
	seen := map[string]bool{}
	for _, m := range ms {
		for _, h := range m.Headers {
			if !seen[h.Name] {
				seen[h.Name] = true
				names = append(names, h.Name)
			}
		}
	}
	return names
}

// diffSDP compares SDP bodies by line type (v=, o=, c=, m= …), in order.
func diffSDP(a, b string) []FieldChange {
	group := func(s string) (map[string][]string, []string) {
		m := map[string][]string{}
		var order []string
		for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
			if len(l) < 2 || l[1] != '=' {
				continue
			}
			k := l[:2]
			if _, ok := m[k]; !ok {
				order = append(order, k)
			}
			m[k] = append(m[k], l[2:])
		}
		return m, order
	}
	ga, oa := group(a)
	gb, ob := group(b)
	var out []FieldChange
	seen := map[string]bool{}
	for _, k := range append(oa, ob...) {
		if seen[k] {
			continue
		}
		seen[k] = true
		va, vb := ga[k], gb[k]
		for i := 0; i < max(len(va), len(vb)); i++ {
			var x, y string
			if i < len(va) {
				x = va[i]
			}
			if i < len(vb) {
				y = vb[i]
			}
			if x != y {
				out = append(out, FieldChange{k, x, y})
			}
		}
	}
	return out
}
