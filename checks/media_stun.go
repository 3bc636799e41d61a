package checks

import (
	"encoding/binary"
)

// The STUN fallback of media.quality: without a reflector, Binding requests
// (RFC 8489 §5: 20-byte header, type 0x0001, magic cookie 0x2112A442, 96-bit
// transaction id) at the call's pace measure loss, jitter and RTT to the STUN
// server. Weaker than the echo: the packets are 20 bytes instead of 172, go
// to the STUN port instead of the RTP range, and loss cannot be split by
// direction. The transaction id carries the stream nonce and the sequence
// number so answers match without state.

const (
	stunMagic           = 0x2112A442
	stunBindingRequest  = 0x0001
	stunBindingResponse = 0x0101
	stunHeaderLen       = 20
)

func stunEncode(nonce uint64) func(seq int) []byte {
	return func(seq int) []byte {
		b := make([]byte, stunHeaderLen)
		binary.BigEndian.PutUint16(b[0:], stunBindingRequest)
		binary.BigEndian.PutUint16(b[2:], 0)
		binary.BigEndian.PutUint32(b[4:], stunMagic)
		binary.BigEndian.PutUint64(b[8:], nonce)
		binary.BigEndian.PutUint32(b[16:], uint32(seq))
		return b
	}
}

func stunDecode(nonce uint64) func(b []byte) (int, int64, bool) {
	return func(b []byte) (int, int64, bool) {
		if len(b) < stunHeaderLen || binary.BigEndian.Uint16(b[0:]) != stunBindingResponse ||
			binary.BigEndian.Uint32(b[4:]) != stunMagic || binary.BigEndian.Uint64(b[8:]) != nonce {
			return 0, 0, false
		}
		return int(binary.BigEndian.Uint32(b[16:])), 0, true
	}
}
