package checks

// Fact keys that sip.udp and stun.3478/stun.3479 publish and sip.alg's
// fallback reads (without a reflector it compares what the BIZTEL server saw
// with what STUN saw). Values are strings.
const (
	// FactSIPReceived is the Via "received" parameter of sip.udp's answer
	// ("" or absent: the server added none).
	FactSIPReceived = "received"
	// FactSIPRport is the Via "rport" value of that answer (a port number as
	// a string; absent when none).
	FactSIPRport = "rport"
	// FactSIPLocalAddr is the IP:port sip.udp sent from, as written in its Via.
	FactSIPLocalAddr = "local_addr"
	// FactSTUNMapped is the public IP:port a STUN server saw (XOR-MAPPED-ADDRESS).
	FactSTUNMapped = "mapped_address"
)
