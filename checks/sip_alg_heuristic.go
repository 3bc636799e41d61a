package checks

import (
	"net/netip"
	"strconv"

	"github.com/biztel-tools/biztel-doctor/content"
)

// methodHeuristic marks the fallback's evidence as weaker than the echo.
const methodHeuristic = "heuristic (weaker): sip.udp's Via received/rport compared with the STUN mapping; a reflector gives a direct test"

// sipALGHeuristic judges from results already gathered, without traffic of
// its own: sip.udp's single OPTIONS to the BIZTEL server and the STUN
// mapping. An ALG typically rewrites Via on the way out and maps the
// server's received=/rport back to the private address on the way in
// (Linux nf_nat_sip does both), so behind a NAT:
//   - received equal to the STUN public address: no sign of an ALG;
//   - received equal to this PC's private address: a sign (rewritten back);
//   - no received at all: a sign (the Via the server saw already named the
//     public address, so it had nothing to add — RFC 3261 §18.2.1).
func sipALGHeuristic(id string, deps map[string]Result) Result {
	sipR := deps["sip.udp"]
	sipEv, ok := EvidenceOf[SIPUDPEvidence](sipR)
	if !ok || !sipR.Status.OK() {
		return SkipResult(id, content.Phrase("check.sip_alg_heuristic.nothing_to_read", nil)).WithFact("method", methodHeuristic)
	}
	localIP, localPort := addrPortStrings(sipEv.Local)
	received, rport := sipEv.Received, strconv.Itoa(sipEv.RPort)
	var mappedIP, mappedPort string
	for _, s := range []string{"stun.3478", "stun.3479"} {
		if ev, ok := EvidenceOf[STUNEvidence](deps[s]); ok && deps[s].Status.OK() {
			if mappedIP, mappedPort = addrPortStrings(ev.FirstMapped()); mappedIP != "" {
				break
			}
		}
	}
	facts := Facts{"method": methodHeuristic, "via_local": localIP, "via_received": received, "stun_mapped": mappedIP}
	if localIP == "" {
		return SkipResult(id, content.Phrase("check.sip_alg_heuristic.no_local", nil)).WithFact("method", methodHeuristic)
	}
	var r Result
	switch {
	case mappedIP == "":
		r = SkipResult(id, content.Phrase("check.sip_alg_heuristic.no_mapping", nil))
	case mappedIP == localIP:
		r = PassResult(id, content.Phrase("check.sip_alg_heuristic.no_nat", nil))
	case received == mappedIP:
		r = PassResult(id, content.Phrase("check.sip_alg_heuristic.same_public", nil))
	case received == localIP:
		r = WarnResult(id, content.Phrase("check.sip_alg_heuristic.received_local", content.Vars{"local": localIP, "mapped": mappedIP}),
			"disable-sip-alg", "use-encrypted-sip")
	case received == "":
		r = WarnResult(id, content.Phrase("check.sip_alg_heuristic.no_received", content.Vars{"mapped": mappedIP}),
			"disable-sip-alg", "use-encrypted-sip")
	default:
		r = WarnResult(id, content.Phrase("check.sip_alg_heuristic.other_source", content.Vars{"received": received, "mapped": mappedIP}),
			"disable-sip-alg", "use-encrypted-sip")
	}
	if rport != "0" && rport == localPort && mappedPort != "" && mappedPort != localPort {
		facts["rport_sign"] = "rport equals the local port while STUN saw port " + mappedPort
	}
	for k, v := range facts {
		r.Facts[k] = v
	}
	return r
}

// addrPortStrings is ap's address and port as text, "" for a zero ap.
func addrPortStrings(ap netip.AddrPort) (string, string) {
	if !ap.IsValid() {
		return "", ""
	}
	return ap.Addr().String(), strconv.Itoa(int(ap.Port()))
}
