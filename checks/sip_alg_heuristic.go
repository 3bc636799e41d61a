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
		return SkipResult(id, content.T("リフレクタがなく、sip.udp の応答もないため判定できません: リフレクタを指定すると直接確かめられます",
			"cannot judge: no reflector, and no answer from sip.udp to read; a reflector gives a direct test")).WithFact("method", methodHeuristic)
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
		return SkipResult(id, content.T("sip.udp の送信元アドレスが不明のため判定できません", "cannot judge: sip.udp did not record the address it sent from")).WithFact("method", methodHeuristic)
	}
	var r Result
	switch {
	case mappedIP == "":
		r = SkipResult(id, content.T("STUN のマッピングがないため判定できません: リフレクタを指定すると直接確かめられます",
			"cannot judge without a STUN mapping; a reflector gives a direct test"))
	case mappedIP == localIP:
		r = PassResult(id, content.T("STUN サーバとの間に NAT がなく、SIP-ALG の兆候はありません（簡易判定）",
			"no NAT toward the STUN server and no sign of a SIP-ALG (heuristic)"))
	case received == mappedIP:
		r = PassResult(id, content.T("サーバが見た送信元は STUN と同じグローバルアドレスで、SIP-ALG の兆候はありません（簡易判定）",
			"the server saw the same public address as STUN: no sign of a SIP-ALG (heuristic)"))
	case received == localIP:
		r = WarnResult(id, content.Tf("応答の Via received が この PC のアドレス %s に戻されています（STUN では %s）: SIP-ALG の兆候です（簡易判定）",
			"the answer's Via received was turned back into this PC's address %s (STUN sees %s): a sign of a SIP-ALG (heuristic)", localIP, mappedIP),
			"disable-sip-alg", "use-encrypted-sip")
	case received == "":
		r = WarnResult(id, content.Tf("NAT の内側（STUN では %s）なのにサーバが Via に received を付けていません: Via が途中で書き換えられた兆候です（簡易判定）",
			"behind a NAT (STUN sees %s) yet the server added no Via received: a sign the Via was rewritten on the way (heuristic)", mappedIP),
			"disable-sip-alg", "use-encrypted-sip")
	default:
		r = WarnResult(id, content.Tf("サーバが見た送信元 %s が STUN のアドレス %s と異なります: SIP だけ別の経路か機器を通っています（簡易判定）",
			"the server saw %s, STUN saw %s: SIP takes another path or device (heuristic)", received, mappedIP),
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
