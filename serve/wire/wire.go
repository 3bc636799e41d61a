// Package wire is the small binary protocol between biztel-doctor's checks and
// its reflector (`biztel-doctor serve`). Both sides import it; it imports
// nothing of ours.
//
// Every datagram starts with a fixed 32-byte header (big-endian):
//
//	offset size field
//	0      4    magic "BZDR"
//	4      1    version (1)
//	5      1    type (Hello, Echo, …)
//	6      1    flags (FlagAuth: the tag is set)
//	7      1    code (replies: why a request was refused; 0 in requests)
//	8      8    nonce: the client's session id, echoed in every reply
//	16     16   tag: HMAC-SHA256(token, datagram with tag zeroed)[:16], zero without a token
//	32     …    body, per type (see the *Body types)
//
// Rules the reflector keeps (see package serve): a reply to an
// unauthenticated request is never larger than the request (clients pad with
// zero bytes after the body); timer probes need a valid tag.
package wire

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// Magic starts every datagram; SIP text never starts with it, so the
// reflector's SIP port can carry both.
var Magic = [4]byte{'B', 'Z', 'D', 'R'}

// Version is the protocol version this package speaks.
const Version = 1

// HeaderLen is the size of the fixed header.
const HeaderLen = 32

// MaxDatagram bounds what either side reads; larger input is not ours.
const MaxDatagram = 2048

// Type says what a datagram is.
type Type uint8

const (
	TypeHello      Type = 1  // client → reflector: who am I, what do you serve
	TypeHelloReply Type = 2  // reflector → client: HelloReplyBody
	TypeEcho       Type = 3  // client → reflector: EchoBody, echoed back
	TypeEchoReply  Type = 4  // reflector → client: the same EchoBody, stamped
	TypeTimerArm   Type = 5  // client → reflector: ArmBody (token required)
	TypeTimerAck   Type = 6  // reflector → client: arming accepted, same body
	TypeTimerFire  Type = 7  // reflector → client after the delay: same body
	TypeRefused    Type = 8  // reflector → client: Code says why; no body
	TypeStats      Type = 9  // client → reflector: how many echoes of this nonce did you get
	TypeStatsReply Type = 10 // reflector → client: StatsBody
	// TypeTimerDisarm (client → reflector, token required; no reply):
	// stop every timer this source armed with this nonce. A client whose
	// probe ended early (cancelled, or a shorter idle time expired) frees
	// the slots at once instead of holding them up to the armed delay. A
	// reflector older than the type drops it as unknown (Parse), so
	// sending it is always safe.
	TypeTimerDisarm Type = 11
)

func (t Type) String() string {
	names := map[Type]string{TypeHello: "hello", TypeHelloReply: "hello-reply", TypeEcho: "echo",
		TypeEchoReply: "echo-reply", TypeTimerArm: "timer-arm", TypeTimerAck: "timer-ack",
		TypeTimerFire: "timer-fire", TypeRefused: "refused", TypeStats: "stats", TypeStatsReply: "stats-reply",
		TypeTimerDisarm: "timer-disarm"}
	if n, ok := names[t]; ok {
		return n
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

// Request reports whether a client sends this type.
func (t Type) Request() bool {
	return t == TypeHello || t == TypeEcho || t == TypeTimerArm || t == TypeStats || t == TypeTimerDisarm
}

// FlagAuth marks a datagram whose tag is set.
const FlagAuth = 0x01

// Code says why the reflector refused a request.
type Code uint8

const (
	CodeOK           Code = 0
	CodeAuthRequired Code = 1 // the reflector has a token and the request had none
	CodeBadAuth      Code = 2 // the tag did not verify
	CodeTooSmall     Code = 3 // the reply would not fit in the request: pad more
	CodeNeedToken    Code = 4 // timer probes need a token; the reflector has none
	CodeBusy         Code = 5 // the reflector's state table is full; retry later
	CodeBadRequest   Code = 6 // body malformed or out of range
)

func (c Code) String() string {
	switch c {
	case CodeOK:
		return "ok"
	case CodeAuthRequired:
		return "token required"
	case CodeBadAuth:
		return "wrong token"
	case CodeTooSmall:
		return "request too small for the reply"
	case CodeNeedToken:
		return "timer probes need a token (start serve with --token)"
	case CodeBusy:
		return "reflector busy"
	case CodeBadRequest:
		return "malformed request"
	}
	return fmt.Sprintf("code(%d)", uint8(c))
}

// Header is the fixed part of every datagram.
type Header struct {
	Type  Type
	Flags uint8
	Code  Code
	Nonce uint64
	Tag   [16]byte
}

// Parse errors. Hostile input gets one of these, never a panic.
var (
	ErrShort   = errors.New("wire: datagram shorter than the header")
	ErrMagic   = errors.New("wire: not a biztel-doctor datagram")
	ErrVersion = errors.New("wire: unsupported version")
	ErrType    = errors.New("wire: unknown type")
	ErrBody    = errors.New("wire: body too short for its type")
)

// IsWire reports whether b starts with the magic (cheap dispatch on the SIP port).
func IsWire(b []byte) bool {
	return len(b) >= 4 && [4]byte(b[:4]) == Magic
}

// Parse reads the header of b and returns it with the body (b[HeaderLen:]).
func Parse(b []byte) (Header, []byte, error) {
	if len(b) < HeaderLen {
		return Header{}, nil, ErrShort
	}
	if !IsWire(b) {
		return Header{}, nil, ErrMagic
	}
	if b[4] != Version {
		return Header{}, nil, ErrVersion
	}
	h := Header{Type: Type(b[5]), Flags: b[6], Code: Code(b[7]), Nonce: binary.BigEndian.Uint64(b[8:16])}
	copy(h.Tag[:], b[16:32])
	if h.Type < TypeHello || h.Type > TypeTimerDisarm {
		return Header{}, nil, ErrType
	}
	body := b[HeaderLen:]
	if len(body) < minBody[h.Type] {
		return Header{}, nil, ErrBody
	}
	return h, body, nil
}

// minBody is the smallest body of each type (padding may follow).
var minBody = map[Type]int{
	TypeHello: 0, TypeHelloReply: HelloReplyLen, TypeEcho: EchoLen, TypeEchoReply: EchoLen,
	TypeTimerArm: ArmLen, TypeTimerAck: ArmLen, TypeTimerFire: ArmLen, TypeRefused: 0,
	TypeStats: 0, TypeStatsReply: StatsLen, TypeTimerDisarm: 0,
}

// PutHeader writes h into b[:HeaderLen] (b must be at least that long).
func PutHeader(b []byte, h Header) {
	copy(b[:4], Magic[:])
	b[4] = Version
	b[5] = byte(h.Type)
	b[6] = h.Flags
	b[7] = byte(h.Code)
	binary.BigEndian.PutUint64(b[8:16], h.Nonce)
	copy(b[16:32], h.Tag[:])
}

// Sign sets the auth flag and the tag of the datagram b (header already
// written) with token. An empty token leaves b unsigned.
func Sign(b []byte, token string) {
	if token == "" || len(b) < HeaderLen {
		return
	}
	b[6] |= FlagAuth
	clear(b[16:32])
	copy(b[16:32], mac(b, token))
}

// Verify reports whether b carries a valid tag for token.
func Verify(b []byte, token string) bool {
	if len(b) < HeaderLen || b[6]&FlagAuth == 0 {
		return false
	}
	var tag [16]byte
	copy(tag[:], b[16:32])
	clear(b[16:32])
	want := mac(b, token)
	copy(b[16:32], tag[:])
	return hmac.Equal(tag[:], want)
}

func mac(b []byte, token string) []byte {
	m := hmac.New(sha256.New, []byte(token))
	m.Write(b)
	return m.Sum(nil)[:16]
}

// Build returns a datagram of at least size bytes: header, body, zero
// padding, signed with token when one is given.
func Build(h Header, body []byte, size int, token string) []byte {
	n := max(HeaderLen+len(body), size)
	b := make([]byte, n)
	h.Flags &^= FlagAuth
	h.Tag = [16]byte{}
	PutHeader(b, h)
	copy(b[HeaderLen:], body)
	Sign(b, token)
	return b
}
