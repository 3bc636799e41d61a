package checks

// Fact keys that sip.udp and stun.3478/stun.3479 publish and sip.alg's
// fallback reads. These are the names and values of the checks-udp branch
// (checks/sip_udp.go, checks/stun.go), repeated here so this branch builds
// alone: DELETE THIS FILE when merging with checks-udp.
const (
	FactSIPLocal    = "local_addr"   // ip:port the OPTIONS was sent from
	FactSIPReceived = "via_received" // Via "received" the server returned ("" when absent)
	FactSIPRPort    = "via_rport"    // Via "rport" the server returned (0 when absent)
	FactSTUNMapped  = "mapped_addr"  // the public ip:port of the first server that answered
)
