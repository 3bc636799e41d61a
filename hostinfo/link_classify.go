package hostinfo

import "strings"

// Interface classification for Windows and macOS, from what their APIs and
// tools report. Untagged so it is tested on every OS. Kinds are those of
// Host.LinkKind: wired, wireless, vpn, loopback, unknown.

// IANA ifType values Windows reports in IP_ADAPTER_ADDRESSES.IfType
// (source: IANA "ianaiftype-mib"; golang.org/x/sys/windows IF_TYPE_*).
const (
	ifTypeEthernet    = 6
	ifTypePPP         = 23
	ifTypeLoopback    = 24
	ifTypeIEEE80211   = 71
	ifTypePropVirtual = 53
	ifTypeTunnel      = 131
	ifTypeIEEE1394    = 144
	ifTypeWWANPP      = 243 // mobile broadband
	ifTypeWWANPP2     = 244
)

// vpnAdapterWords are words in adapter descriptions of common VPN clients
// whose virtual adapters claim to be Ethernet: TAP-Windows (OpenVPN,
// SoftEther uses "VPN Client Adapter"), Wintun/WireGuard, Cisco AnyConnect,
// FortiClient, Palo Alto GlobalProtect (PANGP), Pulse/Ivanti, Check Point,
// Zscaler, Sophos, Juniper.
var vpnAdapterWords = []string{
	"vpn", "tap-windows", "wintun", "wireguard", "anyconnect", "fortinet", "forticlient",
	"pangp", "globalprotect", "pulse secure", "ivanti", "juniper", "check point", "zscaler",
	"sophos", "tunnel", "openvpn", "softether",
}

// winAdapterKind classifies a Windows adapter by its ifType, then its
// description and friendly name for VPN adapters that claim Ethernet.
func winAdapterKind(ifType uint32, description, name string) string {
	text := strings.ToLower(description + " " + name)
	switch ifType {
	case ifTypeLoopback:
		return "loopback"
	case ifTypeIEEE80211:
		return "wireless"
	case ifTypePPP, ifTypeTunnel, ifTypePropVirtual:
		return "vpn"
	case ifTypeWWANPP, ifTypeWWANPP2:
		return "wireless" // mobile broadband: a radio link
	}
	for _, w := range vpnAdapterWords {
		if strings.Contains(text, w) {
			return "vpn"
		}
	}
	if ifType == ifTypeEthernet || ifType == ifTypeIEEE1394 {
		return "wired"
	}
	return "unknown"
}

// macLinkKind classifies a macOS device by its name and hardware port.
// utun/ipsec/ppp devices are tunnels (VPN clients, also iCloud Private
// Relay uses utun); a Wi-Fi port (named "AirPort" before 10.7) is wireless;
// ports naming Ethernet, LAN or Thunderbolt are wired.
func macLinkKind(device, hardwarePort string) string {
	switch {
	case strings.HasPrefix(device, "lo"):
		return "loopback"
	case hasAnyPrefix(device, "utun", "ipsec", "ppp", "tun", "tap", "gif", "stf"):
		return "vpn"
	}
	port := strings.ToLower(hardwarePort)
	switch {
	case port == "":
		return "unknown"
	case strings.Contains(port, "wi-fi") || strings.Contains(port, "airport") || strings.Contains(port, "wlan"):
		return "wireless"
	case strings.Contains(port, "vpn"):
		return "vpn"
	case strings.Contains(port, "ethernet") || strings.Contains(port, "lan") || strings.Contains(port, "thunderbolt"):
		return "wired"
	case hasAnyWord(port, usbEthernetChips):
		return "wired" // a USB Ethernet dongle whose port is named after its chip
	case strings.Contains(port, "iphone") || strings.Contains(port, "bluetooth"):
		return "wireless" // tethering over a phone: a radio link somewhere
	}
	return "unknown"
}

// usbEthernetChips are chip names macOS uses as the hardware port name of
// some USB Ethernet adapters, e.g. "AX88179A" (ASIX) in a captured
// `networksetup -listallhardwareports` (testdata/hostinfo/SOURCES.md).
var usbEthernetChips = []string{"ax88", "asix", "rtl815", "realtek"}

func hasAnyWord(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
