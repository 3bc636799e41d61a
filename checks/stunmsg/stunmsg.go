// Package stunmsg reads and writes the few STUN messages the doctor needs:
// Binding requests and their success and error responses (RFC 5389, updated
// by RFC 8489). It replaces a full STUN library, whose package inits (DTLS,
// gob, extra crypto) cost milliseconds of start-up in every command.
//
// Parse is strict and never panics: a datagram that is not exactly one
// well-formed message, or whose FINGERPRINT does not verify, is an error.
package stunmsg

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"hash/crc32"
)

// MagicCookie is the fixed second word of every RFC 5389 header (§6).
const MagicCookie = 0x2112A442

// HeaderLen is the size of the message header (RFC 5389 §6).
const HeaderLen = 20

// Type is a message type: method and class combined (RFC 5389 §6).
type Type uint16

// The Binding method's message types (RFC 5389 §18.1, class bits per §6).
const (
	BindingRequest Type = 0x0001
	BindingSuccess Type = 0x0101
	BindingError   Type = 0x0111
)

// AttrType is an attribute type (RFC 5389 §18.2, RFC 8489 §18.3).
type AttrType uint16

// The attributes this package knows. Types below 0x8000 are
// comprehension-required, the rest comprehension-optional (RFC 5389 §15).
const (
	AttrMappedAddress          AttrType = 0x0001 // RFC 3489 servers answer with this
	AttrUsername               AttrType = 0x0006
	AttrMessageIntegrity       AttrType = 0x0008
	AttrErrorCode              AttrType = 0x0009
	AttrMessageIntegritySHA256 AttrType = 0x001C // RFC 8489 §14.6
	AttrXORMappedAddress       AttrType = 0x0020
	AttrSoftware               AttrType = 0x8022
	AttrFingerprint            AttrType = 0x8028
)

// fingerprintXOR is XORed into the CRC-32 so a STUN FINGERPRINT differs from
// the CRC of other protocols carried on the same port (RFC 5389 §15.5).
const fingerprintXOR = 0x5354554e

// maxBody is the largest attribute section the 16-bit length field allows,
// rounded down to a multiple of 4.
const maxBody = 0xFFFC

// TxID is the 96-bit transaction ID (RFC 5389 §6).
type TxID [12]byte

// NewTxID returns a random transaction ID, as RFC 5389 §6 requires
// ("uniformly and randomly chosen from the interval 0 .. 2**96-1").
func NewTxID() TxID {
	var id TxID
	_, _ = rand.Read(id[:]) // crypto/rand.Read never fails (Go 1.24+)
	return id
}

// Attr is one attribute: its type and its value without padding.
type Attr struct {
	Type  AttrType
	Value []byte
}

// Message is a STUN message. Parse fills it from the wire; Encode writes it.
type Message struct {
	Type  Type
	TxID  TxID
	Attrs []Attr // in wire order; FINGERPRINT is not listed, see Fingerprint
	// Fingerprint: Parse sets it when a FINGERPRINT attribute was present
	// and verified; Encode appends one when it is set.
	Fingerprint bool
}

// Errors from Parse and the accessors.
var (
	ErrNotSTUN     = errors.New("stunmsg: not a STUN message (short, bad leading bits or magic cookie)")
	ErrLength      = errors.New("stunmsg: message length does not match the datagram")
	ErrAttrBounds  = errors.New("stunmsg: attribute runs past the end of the message")
	ErrFingerprint = errors.New("stunmsg: FINGERPRINT malformed, misplaced or wrong")
	ErrNoAttr      = errors.New("stunmsg: attribute absent")
	ErrBadValue    = errors.New("stunmsg: attribute value malformed")
	ErrTooLong     = errors.New("stunmsg: message longer than the 16-bit length field allows")
)

// Parse reads exactly one STUN message from data (one UDP datagram). Value
// slices in the result alias data.
func Parse(data []byte) (*Message, error) {
	// RFC 5389 §6: the top two bits are zero, the cookie is fixed, and the
	// length counts the attributes only and is a multiple of 4.
	if len(data) < HeaderLen || data[0]&0xC0 != 0 || binary.BigEndian.Uint32(data[4:8]) != MagicCookie {
		return nil, ErrNotSTUN
	}
	n := int(binary.BigEndian.Uint16(data[2:4]))
	if n%4 != 0 || HeaderLen+n != len(data) {
		return nil, ErrLength
	}
	m := &Message{Type: Type(binary.BigEndian.Uint16(data[0:2]))}
	copy(m.TxID[:], data[8:HeaderLen])
	afterIntegrity := false
	for off := HeaderLen; off < len(data); {
		if len(data)-off < 4 {
			return nil, ErrAttrBounds
		}
		t := AttrType(binary.BigEndian.Uint16(data[off:]))
		l := int(binary.BigEndian.Uint16(data[off+2:]))
		padded := (l + 3) &^ 3 // values are padded to 4 bytes (RFC 5389 §15)
		if padded > len(data)-off-4 {
			return nil, ErrAttrBounds
		}
		v := data[off+4 : off+4+l : off+4+l]
		if t == AttrFingerprint {
			// RFC 5389 §15.5: 4 bytes, last attribute, CRC-32 of everything
			// before it (the header length already counting it) XOR 0x5354554e.
			if l != 4 || off+8 != len(data) ||
				crc32.ChecksumIEEE(data[:off])^fingerprintXOR != binary.BigEndian.Uint32(v) {
				return nil, ErrFingerprint
			}
			m.Fingerprint = true
			break
		}
		// RFC 5389 §15.4: attributes after MESSAGE-INTEGRITY are ignored
		// (FINGERPRINT excepted); they are still bounds-checked above.
		if !afterIntegrity {
			m.Attrs = append(m.Attrs, Attr{Type: t, Value: v})
		}
		if t == AttrMessageIntegrity || t == AttrMessageIntegritySHA256 {
			afterIntegrity = true
		}
		off += 4 + padded
	}
	return m, nil
}

// Get returns the value of the first attribute of type t: RFC 8489 §14
// says only the first occurrence of an attribute needs processing.
func (m *Message) Get(t AttrType) ([]byte, bool) {
	for _, a := range m.Attrs {
		if a.Type == t {
			return a.Value, true
		}
	}
	return nil, false
}

// Add appends an attribute.
func (m *Message) Add(t AttrType, v []byte) {
	m.Attrs = append(m.Attrs, Attr{Type: t, Value: v})
}

// Encode writes the message: header, attributes zero-padded to 4 bytes, and
// a FINGERPRINT last when m.Fingerprint is set.
func (m *Message) Encode() ([]byte, error) {
	n := 0
	for _, a := range m.Attrs {
		if len(a.Value) > maxBody {
			return nil, ErrTooLong
		}
		n += 4 + (len(a.Value)+3)&^3
	}
	if m.Fingerprint {
		n += 8
	}
	if n > maxBody || m.Type > 0x3FFF {
		return nil, ErrTooLong
	}
	b := make([]byte, HeaderLen, HeaderLen+n)
	binary.BigEndian.PutUint16(b[0:], uint16(m.Type))
	binary.BigEndian.PutUint16(b[2:], uint16(n))
	binary.BigEndian.PutUint32(b[4:], MagicCookie)
	copy(b[8:], m.TxID[:])
	for _, a := range m.Attrs {
		b = binary.BigEndian.AppendUint16(b, uint16(a.Type))
		b = binary.BigEndian.AppendUint16(b, uint16(len(a.Value)))
		b = append(b, a.Value...)
		b = append(b, make([]byte, (4-len(a.Value)%4)%4)...)
	}
	if m.Fingerprint {
		crc := crc32.ChecksumIEEE(b) ^ fingerprintXOR
		b = binary.BigEndian.AppendUint16(b, uint16(AttrFingerprint))
		b = binary.BigEndian.AppendUint16(b, 4)
		b = binary.BigEndian.AppendUint32(b, crc)
	}
	return b, nil
}

// NewBindingRequest returns a Binding request with a SOFTWARE attribute
// (omitted when empty; RFC 5389 §10.1.2 recommends it) and a FINGERPRINT
// (RFC 5389 §7.1), so a server can tell it apart from other protocols.
func NewBindingRequest(tx TxID, software string) []byte {
	m := Message{Type: BindingRequest, TxID: tx, Fingerprint: true}
	if software != "" {
		m.Add(AttrSoftware, []byte(clipSoftware(software)))
	}
	b, _ := m.Encode() // cannot be too long: SOFTWARE is clipped
	return b
}
