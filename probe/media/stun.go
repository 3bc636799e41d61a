package media

import (
	"encoding/binary"

	"github.com/biztel-tools/biztel-doctor/checks/stunmsg"
)

// The STUN fallback of media.quality: without a reflector, Binding requests
// (RFC 8489 §5: a bare 20-byte header) at the call's pace measure loss,
// jitter and RTT to the STUN server. Weaker than the echo: the packets are
// 20 bytes instead of 172, go to the STUN port instead of the RTP range, and
// loss cannot be split by direction. The transaction id carries the stream
// nonce and the sequence number so answers match without state.

func STUNEncode(nonce uint64) func(seq int) []byte {
	return func(seq int) []byte {
		m := stunmsg.Message{Type: stunmsg.BindingRequest}
		binary.BigEndian.PutUint64(m.TxID[0:], nonce)
		binary.BigEndian.PutUint32(m.TxID[8:], uint32(seq))
		b, _ := m.Encode() // a bare header always fits
		return b
	}
}

func STUNDecode(nonce uint64) func(b []byte) (int, int64, bool) {
	return func(b []byte) (int, int64, bool) {
		m, err := stunmsg.Parse(b)
		if err != nil || m.Type != stunmsg.BindingSuccess || binary.BigEndian.Uint64(m.TxID[0:]) != nonce {
			return 0, 0, false
		}
		return int(binary.BigEndian.Uint32(m.TxID[8:])), 0, true
	}
}
