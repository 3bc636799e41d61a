package checks

import (
	"math"
	"net/netip"
	"slices"
)

// Pure analysis behind nat.mapping (design.md §7). Every function here says
// what the samples show and nothing more; the check words it as "signs of".

// natSample is one STUN binding: from a local socket to a server, and the
// public address the server saw.
type natSample struct {
	Local  netip.AddrPort
	Server string
	Mapped netip.AddrPort
}

// Mapping behaviours (RFC 4787 §4.1), as far as the samples can tell.
const (
	mappingNoNAT        = "no_nat"                // the servers see the host's own address
	mappingIndependent  = "endpoint_independent"  // one public address per socket, whatever the destination
	mappingDependent    = "varies_by_destination" // another public address per destination, seen on at least natRepeatToJudge sockets
	mappingInconsistent = "inconsistent"          // sockets disagree: not judged
	mappingUndetermined = "undetermined"          // fewer than two destinations answered, or the variation was seen once only
)

// natRepeatToJudge: a destination-dependent mapping must show on this many
// sockets before it is called so (one socket can meet a mapping refresh or a
// load-balanced server).
const natRepeatToJudge = 2

// mappingSummary is what classifyMapping found.
type mappingSummary struct {
	Behaviour     string
	NAT           bool     // a server saw another address than the local one
	Sockets       int      // local sockets sampled
	Independent   int      // sockets whose mapping was the same towards every destination
	Dependent     int      // sockets whose mapping changed with the destination
	Preserved     int      // sockets whose public port equals the local port
	PublicIPs     []string // distinct public addresses seen
	MappedPorts   []uint16 // the public port of each socket (first answer), for the port-set analysis
	Destinations  int      // distinct servers that answered
	NotPreserving int      // sockets whose public port differs from the local port
}

// classifyMapping groups samples by local socket and compares what each
// destination saw.
func classifyMapping(samples []natSample) mappingSummary {
	var s mappingSummary
	bySocket, order := s.groupBySocket(samples)
	for _, local := range order {
		s.compareSocket(local, bySocket[local])
	}
	s.Behaviour = s.behaviour()
	return s
}

// groupBySocket collects the answered samples per local socket (in the
// order first seen), the servers that answered and the public addresses.
func (s *mappingSummary) groupBySocket(samples []natSample) (map[netip.AddrPort][]natSample, []netip.AddrPort) {
	bySocket := map[netip.AddrPort][]natSample{}
	var order []netip.AddrPort
	servers := map[string]bool{}
	for _, x := range samples {
		if !x.Mapped.IsValid() {
			continue
		}
		if _, ok := bySocket[x.Local]; !ok {
			order = append(order, x.Local)
		}
		bySocket[x.Local] = append(bySocket[x.Local], x)
		servers[x.Server] = true
		if x.Mapped != x.Local {
			s.NAT = true
		}
		if ip := x.Mapped.Addr().String(); !slices.Contains(s.PublicIPs, ip) {
			s.PublicIPs = append(s.PublicIPs, ip)
		}
	}
	s.Destinations = len(servers)
	s.Sockets = len(order)
	return bySocket, order
}

// compareSocket counts one socket: whether its port was kept, and, when two
// or more destinations answered it, whether they all saw the same mapping.
func (s *mappingSummary) compareSocket(local netip.AddrPort, xs []natSample) {
	first := xs[0].Mapped
	s.MappedPorts = append(s.MappedPorts, first.Port())
	if first.Port() == local.Port() {
		s.Preserved++
	} else {
		s.NotPreserving++
	}
	dests := map[string]bool{}
	same := true
	for _, x := range xs {
		dests[x.Server] = true
		if x.Mapped != first {
			same = false
		}
	}
	switch {
	case len(dests) < 2:
	case same:
		s.Independent++
	default:
		s.Dependent++
	}
}

// behaviour names the mapping from the counts.
func (s *mappingSummary) behaviour() string {
	switch {
	case s.Sockets == 0:
		return mappingUndetermined
	case !s.NAT:
		return mappingNoNAT
	case s.Independent > 0 && s.Dependent > 0:
		return mappingInconsistent
	case s.Dependent >= natRepeatToJudge:
		return mappingDependent
	case s.Independent > 0 && s.Dependent == 0:
		return mappingIndependent
	}
	return mappingUndetermined
}

// MAP-E port sets. RFC 7597 §5.1 builds a port from three fields, high to
// low: A (the offset, a bits), the PSID (k bits) and j (m = 16 − a − k
// bits); A = 0 is excluded so the set avoids ports 0-4095 when a = 4 (RFC
// 7597 §5.1 and its Appendix B examples). Japanese MAP-E services (v6プラス,
// IPv6オプション, OCN バーチャルコネクト) use a = 4 and an 8-bit PSID, so a
// customer's ports are (A << 12) | (PSID << 4) | j for A = 1…15, j = 0…15:
// 240 ports that share bits 4-11. Other services use a shorter PSID; then
// fewer bits below the top four are shared.
const (
	mapeOffsetBits   = 4 // a: the top bits that vary (A)
	mapeMinPSIDBits  = 6 // fewer shared bits than this is too likely by chance to call a sign
	mapeMinSamples   = 3 // distinct public ports needed; with 8 shared bits the chance is 1 in 65536
	mapeMaxPSIDBits  = 16 - mapeOffsetBits
	mapeMinPortValue = 1 << (16 - mapeOffsetBits) // A ≥ 1
)

// mapeSign is what the public ports say about a MAP-E port set.
type mapeSign struct {
	Seen     bool    // the ports share at least mapeMinPSIDBits bits below the top four, over mapeMinSamples or more ports
	Bits     int     // how many bits just below the top four all ports share (the PSID length, at most)
	PSID     int     // the shared value of those bits
	Samples  int     // distinct ports compared
	Chance   float64 // probability that random ports share that many bits
	Distinct bool    // the ports were not all equal
}

// mapeSigns compares distinct public ports. Ports below 4096 (A = 0) are
// outside any a = 4 port set.
func mapeSigns(ports []uint16) mapeSign {
	var uniq []uint16
	for _, p := range ports {
		if !slices.Contains(uniq, p) {
			uniq = append(uniq, p)
		}
	}
	m := mapeSign{Samples: len(uniq), Distinct: len(uniq) > 1}
	if len(uniq) < 2 {
		return m
	}
	for _, p := range uniq {
		if p < mapeMinPortValue {
			return m
		}
	}
	// count equal bits from bit 11 downwards
	for bit := 15 - mapeOffsetBits; bit >= 0; bit-- {
		v := uniq[0] >> bit & 1
		same := true
		for _, p := range uniq[1:] {
			if p>>bit&1 != v {
				same = false
				break
			}
		}
		if !same {
			break
		}
		m.Bits++
	}
	if m.Bits > 0 {
		m.PSID = int(uniq[0]>>(16-mapeOffsetBits-m.Bits)) & (1<<m.Bits - 1)
	}
	m.Chance = math.Pow(2, -float64(m.Bits*(len(uniq)-1)))
	m.Seen = m.Bits >= mapeMinPSIDBits && len(uniq) >= mapeMinSamples
	return m
}

// TCP MSS hints (design.md §7). Linux TCP_MAXSEG is the MSS less the TCP
// options in use (12 bytes with timestamps), so add them back first. MSS =
// MTU − 40 (IPv4 + TCP headers).
const (
	tcpTimestampOptionBytes = 12 // RFC 7323 timestamps, padded
	mssPPPoEFlets           = 1414
	mssIPv4OverIPv6         = 1420
	mssPlain1500            = 1460
	mssTolerance            = 2 // the two hints are 6 apart; ±2 keeps them apart
)

// MSS hint names (fact "mss_hint").
const (
	mssHintPPPoE  = "pppoe"          // MTU 1454: PPPoE on NTT FLET'S
	mssHintTunnel = "ipv4_over_ipv6" // MTU 1460: DS-Lite or MAP-E
	mssHintPlain  = "mtu_1500"       // a plain 1500-byte path
	mssHintOther  = "other"          // none of the above (VPN, another PPPoE, a LAN path)
)

// mssHint classifies the MSS a TCP connection ended up with.
func mssHint(maxseg int, timestamps bool) (hint string, mss int) {
	mss = maxseg
	if timestamps {
		mss += tcpTimestampOptionBytes
	}
	near := func(v int) bool { return mss >= v-mssTolerance && mss <= v+mssTolerance }
	switch {
	case near(mssIPv4OverIPv6):
		return mssHintTunnel, mss
	case near(mssPPPoEFlets):
		return mssHintPPPoE, mss
	case mss == mssPlain1500:
		return mssHintPlain, mss
	}
	return mssHintOther, mss
}
