package hostinfo

import (
	"fmt"
	"strings"
)

// darwinHost is macOS's Host (installed by host_darwin.go). It reads
// the default route with route(8), the interface kind from networksetup's
// hardware ports, Wi-Fi details from system_profiler (the airport tool is
// gone since macOS 14.4; wdutil needs root) and the proxies with scutil.
// No call needs administrator rights. It only runs tools, so it is untagged
// and tested on every OS with a fake runner.
type darwinHost struct {
	run toolRunner
}

// Fixed absolute paths: never a PATH lookup.
const (
	routeTool          = "/sbin/route"
	networksetupTool   = "/usr/sbin/networksetup"
	scutilTool         = "/usr/sbin/scutil"
	systemProfilerTool = "/usr/sbin/system_profiler"
)

func (h darwinHost) DefaultRoute() (string, bool, error) {
	v6 := make(chan bool, 1)
	go func() { // in parallel, so both fit one osToolTimeout
		out6, err6 := h.run(osToolTimeout, routeTool, "-n", "get", "-inet6", "default")
		_, _, ok := parseDarwinRouteGet(out6)
		v6 <- ok && err6 == nil
	}()
	out, err := h.run(osToolTimeout, routeTool, "-n", "get", "default")
	hasV6 := <-v6
	if iface, _, ok := parseDarwinRouteGet(out); ok {
		return iface, hasV6, nil
	}
	if err != nil && !strings.Contains(err.Error(), "not in table") {
		// route prints "not in table" on stderr and exits 1 when there is
		// no default route; that is an answer, other failures are not.
		return "", hasV6, fmt.Errorf("host: default route: %w", err)
	}
	return "", hasV6, nil
}

func (h darwinHost) LinkKind(iface string) (string, map[string]string, error) {
	if kind := macLinkKind(iface, ""); kind != "unknown" {
		return kind, map[string]string{"device": iface}, nil
	}
	out, err := h.run(osToolTimeout, networksetupTool, "-listallhardwareports")
	if err != nil {
		return "unknown", nil, fmt.Errorf("host: networksetup: %w", err)
	}
	port := parseHardwarePorts(out)[iface]
	kind := macLinkKind(iface, port)
	details := map[string]string{"device": iface}
	if port != "" {
		details["hardware_port"] = port
	}
	if kind == "wireless" && port != "" && !strings.Contains(strings.ToLower(port), "iphone") {
		for k, v := range h.wifi(iface) {
			details[k] = v
		}
	}
	return kind, details, nil
}

// wifi reads the current network of the device; every failure is "unknown".
func (h darwinHost) wifi(iface string) map[string]string {
	out, err := h.run(wifiProfilerTimeout, systemProfilerTool, "SPAirPortDataType")
	if err != nil && out == "" {
		return map[string]string{"signal": "unknown", "wifi_error": err.Error()}
	}
	info, ok := parseAirport(out, iface)
	if !ok {
		return map[string]string{"signal": "unknown"}
	}
	return info.details()
}

func (h darwinHost) ProxySettings() (map[string]string, error) {
	cfg, err := h.ProxyConfig()
	return cfg.Proxies, err
}

// ProxyConfig runs scutil once for the proxies and the exception list.
func (h darwinHost) ProxyConfig() (ProxyConfig, error) {
	out, err := h.run(osToolTimeout, scutilTool, "--proxy")
	if err != nil {
		return ProxyConfig{}, fmt.Errorf("host: scutil --proxy: %w", err)
	}
	return parseScutilProxyConfig(out), nil
}

var _ ProxyConfigReader = darwinHost{}
