package stunmsg

import (
	"encoding/binary"
	"net/netip"
	"strings"
	"unicode/utf8"
)

// Address families of (XOR-)MAPPED-ADDRESS (RFC 5389 §15.1).
const (
	familyIPv4 = 0x01
	familyIPv6 = 0x02
)

// SOFTWARE limits (RFC 8489 §14.14): fewer than 128 characters, at most 763
// bytes of UTF-8.
const (
	maxSoftwareRunes = 127
	maxSoftwareBytes = 763
)

// XORMappedAddress returns the XOR-MAPPED-ADDRESS (RFC 5389 §15.2).
func (m *Message) XORMappedAddress() (netip.AddrPort, error) {
	v, ok := m.Get(AttrXORMappedAddress)
	if !ok {
		return netip.AddrPort{}, ErrNoAttr
	}
	key := m.xorKey()
	x := make([]byte, len(v))
	copy(x, v)
	for i := 2; i < len(x) && i-2 < len(key); i++ { // port and address; the first 2 bytes are not XORed
		x[i] ^= key[i-2]
	}
	return decodeAddress(x)
}

// MappedAddress returns the MAPPED-ADDRESS, which RFC 3489 servers send
// instead of XOR-MAPPED-ADDRESS (RFC 5389 §15.1).
func (m *Message) MappedAddress() (netip.AddrPort, error) {
	v, ok := m.Get(AttrMappedAddress)
	if !ok {
		return netip.AddrPort{}, ErrNoAttr
	}
	return decodeAddress(v)
}

// ErrorCode returns the code (300-699) and reason phrase of ERROR-CODE
// (RFC 5389 §15.6: class 3-6 in 3 bits, number 0-99 in 8 bits).
func (m *Message) ErrorCode() (int, string, error) {
	v, ok := m.Get(AttrErrorCode)
	if !ok {
		return 0, "", ErrNoAttr
	}
	if len(v) < 4 {
		return 0, "", ErrBadValue
	}
	class, number := int(v[2]&0x07), int(v[3])
	if class < 3 || class > 6 || number > 99 {
		return 0, "", ErrBadValue
	}
	return class*100 + number, string(v[4:]), nil
}

// Software returns the SOFTWARE attribute, if present and within RFC 8489
// §14.14's limits (UTF-8, at most 763 bytes).
func (m *Message) Software() (string, bool) {
	v, ok := m.Get(AttrSoftware)
	if !ok || len(v) > maxSoftwareBytes || !utf8.Valid(v) {
		return "", false
	}
	return string(v), true
}

// AddXORMappedAddress appends an XOR-MAPPED-ADDRESS; set TxID first, the
// IPv6 form is XORed with it.
func (m *Message) AddXORMappedAddress(ap netip.AddrPort) {
	v := encodeAddress(ap)
	key := m.xorKey()
	for i := 2; i < len(v); i++ {
		v[i] ^= key[i-2]
	}
	m.Add(AttrXORMappedAddress, v)
}

// AddMappedAddress appends a MAPPED-ADDRESS (the RFC 3489 form).
func (m *Message) AddMappedAddress(ap netip.AddrPort) {
	m.Add(AttrMappedAddress, encodeAddress(ap))
}

// AddErrorCode appends an ERROR-CODE; code must be 300-699.
func (m *Message) AddErrorCode(code int, reason string) {
	v := []byte{0, 0, byte(code / 100 & 0x07), byte(code % 100)}
	m.Add(AttrErrorCode, append(v, reason...))
}

// AddSoftware appends a SOFTWARE attribute, clipped to RFC 8489's limits.
func (m *Message) AddSoftware(s string) {
	m.Add(AttrSoftware, []byte(clipSoftware(s)))
}

// xorKey is what X-Port and X-Address are XORed with: the magic cookie
// followed by the transaction ID (RFC 5389 §15.2).
func (m *Message) xorKey() [18]byte {
	var k [18]byte
	binary.BigEndian.PutUint16(k[0:], MagicCookie>>16)
	binary.BigEndian.PutUint32(k[2:], MagicCookie)
	copy(k[6:], m.TxID[:])
	return k
}

// decodeAddress reads the MAPPED-ADDRESS layout: a reserved byte, family,
// port, then 4 (IPv4) or 16 (IPv6) address bytes. Other families or
// lengths are malformed.
func decodeAddress(v []byte) (netip.AddrPort, error) {
	if len(v) < 4 {
		return netip.AddrPort{}, ErrBadValue
	}
	port := binary.BigEndian.Uint16(v[2:4])
	switch {
	case v[1] == familyIPv4 && len(v) == 8:
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte(v[4:8])), port), nil
	case v[1] == familyIPv6 && len(v) == 20:
		return netip.AddrPortFrom(netip.AddrFrom16([16]byte(v[4:20])), port), nil
	}
	return netip.AddrPort{}, ErrBadValue
}

// encodeAddress writes ap in the MAPPED-ADDRESS layout; an IPv4-mapped IPv6
// address is written as IPv4.
func encodeAddress(ap netip.AddrPort) []byte {
	ip := ap.Addr().Unmap()
	v := []byte{0, familyIPv4, 0, 0}
	if ip.Is6() {
		v[1] = familyIPv6
	}
	binary.BigEndian.PutUint16(v[2:], ap.Port())
	return append(v, ip.AsSlice()...)
}

// clipSoftware cuts s to fewer than 128 characters and at most 763 bytes,
// at a character boundary; invalid UTF-8 becomes "?".
func clipSoftware(s string) string {
	s = strings.ToValidUTF8(s, "?")
	runes := 0
	for i, r := range s {
		if runes == maxSoftwareRunes || i+utf8.RuneLen(r) > maxSoftwareBytes {
			return s[:i]
		}
		runes++
	}
	return s
}
