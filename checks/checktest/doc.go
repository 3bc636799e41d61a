// Package checktest holds loopback fakes for the live checks' tests: STUN,
// SIP over UDP, NTP, DNS, an SSDP responder with a UPnP gateway's HTTP
// description and SOAP control, and a UDP blackhole (the TCP/TLS/FTPS fakes
// live in this package too, in their own files).
//
// Every fake listens on 127.0.0.0/8 only and is closed by t.Cleanup, so a
// test never sends a packet off the machine: not to the page's NTP server
// 210.235.12.2, not to the SSDP multicast group, not to the system resolver.
// Each fake can also misbehave — stay silent, answer with garbage, answer
// wrongly — because the checks must turn those into findings, never a pass.
//
// The package imports nothing of ours, so tests inside package checks can use
// it without an import cycle.
package checktest
