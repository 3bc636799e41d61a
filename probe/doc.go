// Package probe is the home of the protocol measurements, one package each
// (probe/tcp, probe/stun, probe/media, probe/reflector, probe/resolve,
// probe/sipmsg, probe/upnp, probe/ftps, probe/portsweep, probe/ntp). A probe sends, receives and classifies, and
// returns a typed result; it never judges or phrases, so it imports
// nothing of this module but codecs (checks/stunmsg, serve/wire),
// internal/neterr, internal/lazyregexp and other probes. imports_test.go
// enforces that rule for every probe package and for hostinfo, and
// literals_test.go keeps user-facing Japanese out of Go.
package probe
