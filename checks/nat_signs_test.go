package checks

import (
	"net/netip"
	"testing"
)

func ap(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

func TestClassifyMapping(t *testing.T) {
	s := func(local, server, mapped string) natSample {
		return natSample{Local: ap(local), Server: server, Mapped: ap(mapped)}
	}
	tests := []struct {
		name      string
		samples   []natSample
		want      string
		preserved int
	}{
		{"no samples", nil, mappingUndetermined, 0},
		{"public address on the host", []natSample{s("198.51.100.5:4000", "a", "198.51.100.5:4000"), s("198.51.100.5:4000", "b", "198.51.100.5:4000")}, mappingNoNAT, 1},
		{"independent", []natSample{
			s("192.168.1.2:4000", "a", "203.0.113.9:50000"), s("192.168.1.2:4000", "b", "203.0.113.9:50000"),
			s("192.168.1.2:4001", "a", "203.0.113.9:50001"), s("192.168.1.2:4001", "b", "203.0.113.9:50001"),
		}, mappingIndependent, 0},
		{"dependent on two sockets", []natSample{
			s("192.168.1.2:4000", "a", "203.0.113.9:50000"), s("192.168.1.2:4000", "b", "203.0.113.9:50002"),
			s("192.168.1.2:4001", "a", "203.0.113.9:50004"), s("192.168.1.2:4001", "b", "203.0.113.9:50006"),
		}, mappingDependent, 0},
		{"dependent once is not enough", []natSample{
			s("192.168.1.2:4000", "a", "203.0.113.9:50000"), s("192.168.1.2:4000", "b", "203.0.113.9:50002"),
			s("192.168.1.2:4001", "a", "203.0.113.9:50004"),
		}, mappingUndetermined, 0},
		{"sockets disagree", []natSample{
			s("192.168.1.2:4000", "a", "203.0.113.9:50000"), s("192.168.1.2:4000", "b", "203.0.113.9:50002"),
			s("192.168.1.2:4001", "a", "203.0.113.9:4001"), s("192.168.1.2:4001", "b", "203.0.113.9:4001"),
		}, mappingInconsistent, 1},
		{"one destination only", []natSample{s("192.168.1.2:4000", "a", "203.0.113.9:4000")}, mappingUndetermined, 1},
	}
	for _, tc := range tests {
		got := classifyMapping(tc.samples)
		if got.Behaviour != tc.want || got.Preserved != tc.preserved {
			t.Errorf("%s: %s (preserved %d), want %s (preserved %d)", tc.name, got.Behaviour, got.Preserved, tc.want, tc.preserved)
		}
	}
}

// mapePort is RFC 7597 §5.1's port for offset 4 and an 8-bit PSID.
func mapePort(a, psid, j int) uint16 { return uint16(a<<12 | psid<<4 | j) }

func TestMAPESigns(t *testing.T) {
	tests := []struct {
		name  string
		ports []uint16
		seen  bool
		bits  int
		psid  int
	}{
		{"three ports of one 8-bit set", []uint16{mapePort(1, 0x5a, 3), mapePort(7, 0x5a, 12), mapePort(15, 0x5a, 0)}, true, 8, 0x5a},
		{"two ports are not enough", []uint16{mapePort(1, 0x5a, 3), mapePort(7, 0x5a, 12)}, false, 8, 0x5a},
		{"6-bit PSID set", []uint16{0x1000 | 0x2a<<6 | 5, 0x3000 | 0x2a<<6 | 63, 0x9000 | 0x2a<<6 | 17}, true, 6, 0x2a},
		{"random ports", []uint16{40123, 51234, 33333}, false, 0, 0},
		{"ports under 4096 are outside any set", []uint16{0x05a3, 0x05ac, 0x05a0}, false, 0, 0},
		{"one port repeated", []uint16{mapePort(3, 0x11, 1), mapePort(3, 0x11, 1), mapePort(3, 0x11, 1)}, false, 0, 0},
	}
	for _, tc := range tests {
		got := mapeSigns(tc.ports)
		if got.Seen != tc.seen || (tc.seen && (got.Bits < tc.bits || got.PSID>>(got.Bits-tc.bits) != tc.psid)) {
			t.Errorf("%s: %+v, want seen=%v bits≥%d psid=%#x", tc.name, got, tc.seen, tc.bits, tc.psid)
		}
	}
	// every port of an 8-bit set: 240 ports, all share the PSID
	var all []uint16
	for a := 1; a <= 15; a++ {
		for j := 0; j < 16; j++ {
			all = append(all, mapePort(a, 0xc3, j))
		}
	}
	if got := mapeSigns(all); !got.Seen || got.Bits != 8 || got.PSID != 0xc3 || got.Samples != 240 {
		t.Errorf("full port set: %+v", got)
	}
}

func TestMSSHint(t *testing.T) {
	tests := []struct {
		maxseg int
		ts     bool
		want   string
	}{
		{1402, true, mssHintPPPoE}, {1414, false, mssHintPPPoE}, {1412, false, mssHintPPPoE},
		{1408, true, mssHintTunnel}, {1420, false, mssHintTunnel}, {1422, false, mssHintTunnel},
		{1448, true, mssHintPlain}, {1460, false, mssHintPlain},
		{1452, false, mssHintOther}, {1380, false, mssHintOther}, {65483, false, mssHintOther}, {1417, false, mssHintOther},
	}
	for _, tc := range tests {
		if got, _ := mssHint(tc.maxseg, tc.ts); got != tc.want {
			t.Errorf("mssHint(%d, ts=%v) = %s, want %s", tc.maxseg, tc.ts, got, tc.want)
		}
	}
}
