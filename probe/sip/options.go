// Package sip runs one SIP OPTIONS transaction over UDP as a softphone
// would: it builds the request (RFC 3261 §11, Via with rport per RFC 3581),
// retransmits on RFC 3261's schedule so one lost packet is not a verdict,
// and returns what came back as a typed Reply. It measures; sip.udp and
// sip.size judge and phrase.
package sip

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
	"time"

	sipgo "github.com/emiago/sipgo/sip"
)

// SIP over UDP retransmission. OPTIONS is a non-INVITE request, so RFC 3261
// §17.1.2.2 timer E applies: the first retransmission after T1 = 500 ms,
// then doubling (capped at T2 = 4 s, never reached here). That is the same
// schedule as timer A for INVITE. A production server gets MaxSends
// packets at most.
const (
	T1          = 500 * time.Millisecond // RFC 3261 T1, the RTT estimate
	MaxSends    = 4                      // sends at 0, 0.5, 1.5, 3.5 s
	Wait        = 4 * time.Second        // listen this long after the first send (last send plus T1)
	FinalGrace  = 500 * time.Millisecond // after a 1xx, how long to wait for the final response
	MaxDatagram = 65535                  // largest UDP payload; longer replies cannot exist
)

// Options is one OPTIONS transaction's identity and bytes. Raw may be
// extended (headers, padding) before Exchange as long as the Via branch
// and Call-ID stay.
type Options struct {
	Branch, CallID string
	Raw            []byte
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NewOptions builds an OPTIONS request from local to server.
func NewOptions(local, server netip.AddrPort, userAgent string) Options {
	o := Options{Branch: "z9hG4bK" + randomToken(8), CallID: randomToken(12) + "@" + local.Addr().String()}
	target := "sip:" + server.String()
	var b strings.Builder
	fmt.Fprintf(&b, "OPTIONS %s SIP/2.0\r\n", target)
	fmt.Fprintf(&b, "Via: SIP/2.0/UDP %s;branch=%s;rport\r\n", local, o.Branch)
	b.WriteString("Max-Forwards: 70\r\n")
	fmt.Fprintf(&b, "From: <sip:biztel-doctor@%s>;tag=%s\r\n", local.Addr(), randomToken(4))
	fmt.Fprintf(&b, "To: <%s>\r\n", target)
	fmt.Fprintf(&b, "Call-ID: %s\r\n", o.CallID)
	b.WriteString("CSeq: 1 OPTIONS\r\n")
	fmt.Fprintf(&b, "Contact: <sip:biztel-doctor@%s>\r\n", local)
	b.WriteString("Accept: application/sdp\r\n")
	fmt.Fprintf(&b, "User-Agent: %s\r\n", userAgent)
	b.WriteString("Content-Length: 0\r\n\r\n")
	o.Raw = []byte(b.String())
	return o
}

// Matches reports whether a response belongs to the transaction (RFC 3261
// §17.1.3: top Via branch; plus the Call-ID).
func (o Options) Matches(r *sipgo.Response) bool {
	via := r.Via()
	if via == nil || r.CallID() == nil {
		return false
	}
	br, _ := via.Params.Get("branch")
	return br == o.Branch && r.CallID().Value() == o.CallID
}

// Reply is what one OPTIONS transaction saw.
type Reply struct {
	Response    *sipgo.Response // the final (or, failing that, provisional) response; nil when none
	Size        int             // bytes of the datagram that carried Response
	RTT         time.Duration   // from the last send to Response
	Sent        int             // transmissions
	NonSIP      int             // datagrams that did not parse as a SIP response
	NonSIPHead  string          // the start of the first such datagram, quoted
	ParseError  string          // why the parser rejected it
	Malformed   bool            // it began like a SIP response ("SIP/2.0 ") but did not parse
	Stray       int             // SIP responses to another transaction, and SIP requests
	Refused     bool            // ICMP port unreachable came back
	SocketError error           // sending or reading failed (the tool's own problem, or no route)
}

// Answered reports whether a matching response came back.
func (r Reply) Answered() bool { return r.Response != nil }

// StatusLine is the answer's status line ("SIP/2.0 200 OK"), "" without one.
func (r Reply) StatusLine() string {
	if r.Response == nil {
		return ""
	}
	return fmt.Sprintf("%s %d %s", r.Response.SipVersion, r.Response.StatusCode, r.Response.Reason)
}
