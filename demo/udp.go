package demo

// startUDP starts the UDP fakes: SIP, STUN, NTP, DNS and SSDP. They come
// from checks/checktest once the UDP checks are merged.
func (s *Site) startUDP(t *lifecycle) {
}
