//go:build linux

package hostinfo

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func init() {
	systemHost = func() Host { return newLinuxHost() }
}

// linuxHost reads routes from procfs, link details from sysfs and proxy
// settings from the desktop. The roots are fields so tests read captured
// sample trees under testdata/.
type linuxHost struct {
	proc string // procfs root, "/proc"
	sys  string // sysfs root, "/sys"
	// proxy sources (host_linux_proxy.go)
	etcEnvironment string                           // "/etc/environment"
	kioslaverc     string                           // KDE's ~/.config/kioslaverc; "" when unknown
	gsettings      func(key string) (string, error) // GNOME; nil when not available
}

func newLinuxHost() *linuxHost {
	h := &linuxHost{proc: "/proc", sys: "/sys", etcEnvironment: "/etc/environment"}
	if cfg, err := os.UserConfigDir(); err == nil {
		h.kioslaverc = filepath.Join(cfg, "kioslaverc")
	}
	h.gsettings = systemGSettings()
	return h
}

// Route flags of /proc/net/route and /proc/net/ipv6_route (linux/route.h,
// linux/ipv6_route.h).
const (
	rtfUp     = 0x0001
	rtfReject = 0x0200
)

// procFileLimit bounds reads of procfs/sysfs files (a routing table of a
// few thousand routes fits).
const procFileLimit = 4 << 20

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, procFileLimit))
}

// DefaultRoute reads the IPv4 default route with the lowest metric from
// /proc/net/route, and whether /proc/net/ipv6_route has a usable default.
func (h *linuxHost) DefaultRoute() (string, bool, error) {
	data, err := readLimited(filepath.Join(h.proc, "net", "route"))
	if err != nil {
		return "", false, fmt.Errorf("routes: %w", err)
	}
	iface, best := "", uint64(1<<63)
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for first := true; sc.Scan(); first = false {
		f := strings.Fields(sc.Text())
		if first || len(f) < 8 {
			continue
		}
		flags, err1 := strconv.ParseUint(f[3], 16, 32)
		metric, err2 := strconv.ParseUint(f[6], 10, 64)
		if err1 != nil || err2 != nil || f[1] != "00000000" || f[7] != "00000000" || flags&rtfUp == 0 || flags&rtfReject != 0 {
			continue
		}
		if metric < best {
			iface, best = f[0], metric
		}
	}
	hasV6 := false
	if data, err := readLimited(filepath.Join(h.proc, "net", "ipv6_route")); err == nil {
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) < 10 || f[0] != strings.Repeat("0", 32) || f[1] != "00" || f[9] == "lo" {
				continue
			}
			flags, err := strconv.ParseUint(f[8], 16, 32)
			if err == nil && flags&rtfUp != 0 && flags&rtfReject == 0 {
				hasV6 = true
			}
		}
	}
	return iface, hasV6, nil
}

// Interface types (linux/if_arp.h) that mean a tunnel or a VPN.
var tunnelTypes = map[int]string{
	512:   "ppp",
	768:   "ipip",
	769:   "ip6tnl", // IPv4-in-IPv6 (DS-Lite, MAP-E on a router)
	776:   "sit",
	778:   "gre",
	823:   "ip6gre",
	65534: "none (tun, WireGuard)",
}

// vpnNamePrefixes are interface names VPN clients create.
var vpnNamePrefixes = []string{"tun", "tap", "wg", "ppp", "ipsec", "vti", "utun", "tailscale", "zt", "nordlynx", "gpd", "cscotun", "vpn"}

// LinkKind classifies iface from sysfs: wireless, vpn, loopback, wired.
func (h *linuxHost) LinkKind(iface string) (string, map[string]string, error) {
	if iface == "" || strings.ContainsAny(iface, "/\x00") || iface == "." || iface == ".." {
		return "unknown", nil, fmt.Errorf("interface name %q", iface)
	}
	dir := filepath.Join(h.sys, "class", "net", iface)
	if _, err := os.Stat(dir); err != nil {
		return "unknown", nil, fmt.Errorf("link %s: %w", iface, err)
	}
	details := map[string]string{"iface": iface}
	read := func(name string) string {
		b, err := readLimited(filepath.Join(dir, name))
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(b))
	}
	typ, _ := strconv.Atoi(read("type"))
	if typ != 0 {
		details["arp_type"] = strconv.Itoa(typ)
	}
	if s := read("operstate"); s != "" {
		details["operstate"] = s
	}
	if s := read("speed"); s != "" && !strings.HasPrefix(s, "-") {
		details["speed_mbps"] = s
	}
	if drv, err := os.Readlink(filepath.Join(dir, "device", "driver")); err == nil {
		details["driver"] = filepath.Base(drv)
	}
	devtype := ""
	for _, line := range strings.Split(read("uevent"), "\n") {
		if v, ok := strings.CutPrefix(line, "DEVTYPE="); ok {
			devtype = v
			details["devtype"] = v
		}
	}
	if kind := h.classifyLink(iface, dir, typ, devtype, details); kind != "" {
		return kind, details, nil
	}
	if typ == 1 {
		return "wired", details, nil
	}
	return "unknown", details, errors.New("link " + iface + ": unrecognised interface type " + strconv.Itoa(typ))
}

// classifyLink names the links that are not plain Ethernet (loopback,
// wireless, tunnels), adding what shows it to details; "" for the rest.
func (h *linuxHost) classifyLink(iface, dir string, typ int, devtype string, details map[string]string) string {
	exists := func(name string) bool { _, err := os.Stat(filepath.Join(dir, name)); return err == nil }
	switch {
	case typ == 772 || iface == "lo":
		return "loopback"
	case exists("wireless") || exists("phy80211") || devtype == "wlan" || devtype == "wwan":
		h.addSignal(iface, details)
		return "wireless"
	case tunnelTypes[typ] != "":
		details["tunnel"] = tunnelTypes[typ]
		return "vpn"
	case exists("tun_flags") || devtype == "wireguard" || devtype == "vti" || devtype == "ipsec":
		details["tunnel"] = "tun/tap"
		return "vpn"
	}
	for _, p := range vpnNamePrefixes {
		if strings.HasPrefix(iface, p) {
			details["tunnel"] = "by name"
			return "vpn"
		}
	}
	return ""
}

// addSignal reads /proc/net/wireless: "wlan0: 0000   54.  -56.  -256 …"
// (link quality, signal level in dBm, noise).
func (h *linuxHost) addSignal(iface string, details map[string]string) {
	data, err := readLimited(filepath.Join(h.proc, "net", "wireless"))
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(data), "\n") {
		name, rest, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok || name != iface {
			continue
		}
		f := strings.Fields(rest)
		if len(f) >= 3 {
			details["link_quality"] = strings.TrimSuffix(f[1], ".")
			details["signal_dbm"] = strings.TrimSuffix(f[2], ".")
		}
	}
}
