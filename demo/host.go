package demo

import "maps"

// siteHost is the simulated PC's interfaces and OS proxy settings, so
// net.link, net.ipv4 and net.proxy read the scenario rather than the machine
// the demo runs on and a scenario looks the same on every screen share.
type siteHost struct {
	iface, kind string
	details     map[string]string
}

// wiredHost is a PC on a wired LAN with no OS proxy.
var wiredHost = siteHost{iface: "eth0", kind: "wired", details: map[string]string{"speed_mbps": "1000"}}

func (h siteHost) DefaultRoute() (string, bool, error) { return h.iface, false, nil }

func (h siteHost) LinkKind(string) (string, map[string]string, error) {
	return h.kind, maps.Clone(h.details), nil // a check may add to its copy
}

func (siteHost) ProxySettings() (map[string]string, error) { return map[string]string{}, nil }
