package wire

import (
	"encoding/binary"
	"net/netip"
)

// Body sizes (fixed part; padding may follow).
const (
	// HelloReplyLen is the reply's fixed part; HelloReplyBudgetLen the
	// reply of a reflector that also says its per-source budget.
	HelloReplyLen       = 28
	HelloReplyBudgetLen = 32
	EchoLen             = 24
	ArmLen              = 12
	StatsLen            = 12
)

// DefaultRatePPS is a reflector's per-source packet budget unless its
// operator sets another; clients assume it when an older reflector's Hello
// answer does not say (HelloBudget).
const DefaultRatePPS = 20000

// HelloSize is what clients pad a Hello to, so the reply fits with room.
const HelloSize = 96

// Hello flags.
const (
	HelloTokenRequired = 0x01 // every request must be signed
	HelloTimers        = 0x02 // timer probes are served (a token is configured)
	// HelloLargeSIP: the SIP port reads whole datagrams up to MaxSIPMessage
	// and honours SIPMirrorHeader. Reflectors without it read at most 2,048
	// bytes, so a larger request arrives cut and its silence is no verdict.
	HelloLargeSIP = 0x04
	HelloBudget   = 0x08 // RatePPS is set (reflectors before issue 16 do not say)
)

// HelloReplyBody tells a client how the reflector sees it and what it serves.
type HelloReplyBody struct {
	Observed    netip.AddrPort // the request's source as the reflector saw it (after any NAT)
	RTPFrom     uint16         // RTP echo range served, 0 when none
	RTPTo       uint16
	SIPPort     uint16 // SIP echo port (UDP and TCP)
	ControlPort uint16
	Flags       uint8
	// RatePPS is the reflector's per-source packet budget (packets/s it
	// echoes for one client address); 0 when it does not say.
	RatePPS uint32
}

func (h HelloReplyBody) Marshal() []byte {
	n := HelloReplyLen
	if h.RatePPS > 0 {
		n = HelloReplyBudgetLen
		h.Flags |= HelloBudget
	}
	b := make([]byte, n)
	a := h.Observed.Addr().As16()
	copy(b[0:16], a[:])
	binary.BigEndian.PutUint16(b[16:], h.Observed.Port())
	binary.BigEndian.PutUint16(b[18:], h.RTPFrom)
	binary.BigEndian.PutUint16(b[20:], h.RTPTo)
	binary.BigEndian.PutUint16(b[22:], h.SIPPort)
	binary.BigEndian.PutUint16(b[24:], h.ControlPort)
	b[26] = h.Flags
	if h.RatePPS > 0 {
		binary.BigEndian.PutUint32(b[28:], h.RatePPS)
	}
	return b
}

// ParseHelloReply reads a body; Parse has checked its length.
func ParseHelloReply(b []byte) (HelloReplyBody, bool) {
	if len(b) < HelloReplyLen {
		return HelloReplyBody{}, false
	}
	addr := netip.AddrFrom16([16]byte(b[0:16])).Unmap()
	var rate uint32
	if b[26]&HelloBudget != 0 && len(b) >= HelloReplyBudgetLen {
		rate = binary.BigEndian.Uint32(b[28:])
	}
	return HelloReplyBody{
		RatePPS:  rate,
		Observed: netip.AddrPortFrom(addr, binary.BigEndian.Uint16(b[16:])),
		RTPFrom:  binary.BigEndian.Uint16(b[18:]), RTPTo: binary.BigEndian.Uint16(b[20:]),
		SIPPort: binary.BigEndian.Uint16(b[22:]), ControlPort: binary.BigEndian.Uint16(b[24:]),
		Flags: b[26],
	}, true
}

// EchoBody is one media probe. The client fills Seq and ClientTx; the
// reflector stamps ServerRx and ServerCount in place, so the reply has the
// request's exact size.
type EchoBody struct {
	Seq         uint32 // client's sequence number (rtp.range: the port probed)
	ClientTx    int64  // client send time, ns on the client's monotonic scale
	ServerRx    int64  // reflector receive time, Unix ns (its clock; only differences are used)
	ServerCount uint32 // echoes of this nonce the reflector has received so far, this one included
}

func (e EchoBody) Put(b []byte) {
	binary.BigEndian.PutUint32(b[0:], e.Seq)
	binary.BigEndian.PutUint64(b[4:], uint64(e.ClientTx))
	binary.BigEndian.PutUint64(b[12:], uint64(e.ServerRx))
	binary.BigEndian.PutUint32(b[20:], e.ServerCount)
}

func ParseEcho(b []byte) (EchoBody, bool) {
	if len(b) < EchoLen {
		return EchoBody{}, false
	}
	return EchoBody{
		Seq: binary.BigEndian.Uint32(b[0:]), ClientTx: int64(binary.BigEndian.Uint64(b[4:])),
		ServerRx: int64(binary.BigEndian.Uint64(b[12:])), ServerCount: binary.BigEndian.Uint32(b[20:]),
	}, true
}

// Timer fire modes: which reflector port sends the delayed packet.
const (
	FireSamePort  = 1 // from the port the arm arrived on: is the mapping alive?
	FireOtherPort = 2 // from another port: does the NAT filter by remote port?
)

// ArmBody asks for one delayed packet to the request's source.
type ArmBody struct {
	ID      uint32 // client's probe id, returned in the ack and the fire
	DelayMs uint32
	Mode    uint8 // FireSamePort or FireOtherPort
}

func (a ArmBody) Marshal() []byte {
	b := make([]byte, ArmLen)
	binary.BigEndian.PutUint32(b[0:], a.ID)
	binary.BigEndian.PutUint32(b[4:], a.DelayMs)
	b[8] = a.Mode
	return b
}

func ParseArm(b []byte) (ArmBody, bool) {
	if len(b) < ArmLen {
		return ArmBody{}, false
	}
	return ArmBody{ID: binary.BigEndian.Uint32(b[0:]), DelayMs: binary.BigEndian.Uint32(b[4:]), Mode: b[8]}, true
}

// StatsBody is the reflector's count for one nonce.
type StatsBody struct {
	Received uint32 // echo requests of this nonce received
	Bytes    uint64 // their total UDP payload bytes
}

func (s StatsBody) Marshal() []byte {
	b := make([]byte, StatsLen)
	binary.BigEndian.PutUint32(b[0:], s.Received)
	binary.BigEndian.PutUint64(b[4:], s.Bytes)
	return b
}

func ParseStats(b []byte) (StatsBody, bool) {
	if len(b) < StatsLen {
		return StatsBody{}, false
	}
	return StatsBody{Received: binary.BigEndian.Uint32(b[0:]), Bytes: binary.BigEndian.Uint64(b[4:])}, true
}
