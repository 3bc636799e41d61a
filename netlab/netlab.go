// Package netlab is the end-to-end test bed of design.md §6: a customer
// network in a box. Three Linux network namespaces made by the test itself —
// client (the customer's PC), router (the customer's NAT/firewall, nftables)
// and server (BIZTEL's side, with real daemons from Debian packages) — joined
// by veth pairs that never touch the host's namespace, so no packet of a test
// can leave the bed. Tests only import it; it needs root and Linux.
//
// A test builds a bed with New (teardown is registered with t.Cleanup and
// a SIGINT/SIGTERM handler; beds of crashed runs are removed first),
// starts the BIZTEL side with StartServers (kamailio, coturn, chronyd -x,
// vsftpd, nginx, a miekg/dns server, optionally `biztel-doctor serve`),
// each waited for by a real protocol answer, sets the customer's router
// with SetRouter (RouterConfig: blocks, SIP/FTP ALG, stateless UDP return
// drop, ct timeout, numgen loss, fully-random NAT, proxy-only) and runs
// programs in the client namespace with Client.Command. Counter reads the
// router's rule counters; CounterEscaped counts packets towards anything
// outside the bed's networks and must stay 0.
package netlab

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Addresses of the bed. They are fixed: each bed lives in namespaces of its
// own, so two beds (parallel tests, parallel runs) never see each other.
const (
	LANNet      = "192.168.50.0/24" // the customer LAN
	ClientIP    = "192.168.50.10"   // the customer's PC
	RouterLANIP = "192.168.50.1"    // the router's LAN side, default gateway

	CGNATNet      = "100.64.0.0/24" // a LAN in carrier-grade NAT space (mobile router)
	CGNATClientIP = "100.64.0.10"
	CGNATRouterIP = "100.64.0.1"

	V6Net      = "fd00:b1e7::/64" // the LAN of an IPv6-only client
	ClientIPv6 = "fd00:b1e7::10"
	RouterIPv6 = "fd00:b1e7::1"

	WANNet      = "198.18.0.0/24" // "the internet" (RFC 2544 benchmarking space)
	RouterWANIP = "198.18.0.1"    // the customer's public address
	ServerIP    = "198.18.0.10"   // BIZTEL server: kamailio, nginx, chrony
	RecordingIP = "198.18.0.11"   // bulk recording download server: vsftpd
	STUNIP      = "198.18.0.20"   // coturn
	STUNIP2     = "198.18.0.21"   // coturn's second address (two mapping destinations)
	ReflectorIP = "198.18.0.40"   // biztel-doctor serve
	DNSIP       = "198.18.0.53"   // DNS server for the management hostname

	VPNNet = "10.99.0.0/24" // the server's private side with the VPN option
	VPNIP  = "10.99.0.10"   // BIZTEL server's private address

	ProxyPort = 3128 // HTTP proxy in the router namespace (proxy-only scenario)

	// Names under .test (RFC 2606): never resolvable outside the bed.
	ServerHost    = "pbx.biztel.test" // management hostname, named by the server certificate
	RecordingHost = "rec.biztel.test" // recording server, named by its certificate
)

// bedNets are every network of the bed; the router counts (and drops)
// packets to anything else.
var bedNets = []string{LANNet, CGNATNet, WANNet, VPNNet}

// Tools are the programs the bed runs, by Debian package.
var Tools = map[string]string{
	"ip":         "iproute2",
	"nft":        "nftables",
	"conntrack":  "conntrack",
	"kamailio":   "kamailio",
	"turnserver": "coturn",
	"chronyd":    "chrony",
	"vsftpd":     "vsftpd",
	"nginx":      "nginx-light",
	"sipsak":     "sipsak",
	"sipp":       "sip-tester",
	"openssl":    "openssl",
}

// kamailioModules are the extra module files the kamailio config loads
// (kamailio-tls-modules, kamailio-websocket-modules).
var kamailioModules = []string{"tls.so", "websocket.so", "xhttp.so"}

// ErrUnavailable says why the bed cannot run on this machine.
var ErrUnavailable = errors.New("netlab: bed unavailable")

// Available reports whether the bed can run here: Linux, root, every tool
// installed. The error names the first thing missing in one line.
func Available() error {
	if runtime.GOOS != "linux" {
		return fmt.Errorf("%w: needs Linux network namespaces (this is %s)", ErrUnavailable, runtime.GOOS)
	}
	if os.Geteuid() != 0 {
		return fmt.Errorf("%w: needs root to create network namespaces (run the tests as root, e.g. sudo go test)", ErrUnavailable)
	}
	for tool, pkg := range Tools {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%w: %s not found (apt-get install %s)", ErrUnavailable, tool, pkg)
		}
	}
	for _, m := range kamailioModules {
		if _, err := os.Stat(kamailioModDir() + "/" + m); err != nil {
			return fmt.Errorf("%w: kamailio module %s missing (apt-get install kamailio-tls-modules kamailio-websocket-modules)", ErrUnavailable, m)
		}
	}
	return nil
}

// Require skips t when the bed cannot run here — except in CI (CI=true),
// where a skip would hide a missing install step, so it fails instead.
func Require(t testing.TB) {
	t.Helper()
	err := Available()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%v (CI=true: the bed must run in CI)", err)
	}
	t.Skip(err)
}

// kamailioModDir finds the multiarch module directory of the kamailio
// package (/usr/lib/x86_64-linux-gnu/kamailio/modules on amd64).
func kamailioModDir() string {
	m, _ := filepath.Glob("/usr/lib/*/kamailio/modules")
	if len(m) == 0 {
		return "/usr/lib/kamailio/modules"
	}
	return m[0]
}
