//go:build windows

package hostinfo

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// windowsHost reads the default route and adapter kinds from the IP Helper
// API, Wi-Fi signal from netsh (no API gives signal without the WLAN API's
// handle dance and location consent), and proxies from the registry. No
// call needs administrator rights.
type windowsHost struct {
	run toolRunner
}

func init() {
	systemHost = func() Host { return windowsHost{run: runOSTool} }
}

// Documentation addresses (RFC 5737, RFC 3849): GetBestInterfaceEx only
// consults the routing table for them; nothing is sent.
var (
	probeV4 = windows.SockaddrInet4{Addr: [4]byte{192, 0, 2, 1}}
	probeV6 = windows.SockaddrInet6{Addr: [16]byte{0x20, 0x01, 0x0d, 0xb8, 15: 1}}
)

func systemTool(name string) string {
	dir, err := windows.GetSystemDirectory()
	if err != nil || dir == "" {
		dir = filepath.Join(os.Getenv("SystemRoot"), "System32")
	}
	return filepath.Join(dir, name)
}

func (h windowsHost) DefaultRoute() (string, bool, error) {
	var idx6 uint32
	hasV6 := windows.GetBestInterfaceEx(&probeV6, &idx6) == nil
	var idx uint32
	if err := windows.GetBestInterfaceEx(&probeV4, &idx); err == nil {
		if ifc, err := net.InterfaceByIndex(int(idx)); err == nil {
			return ifc.Name, hasV6, nil
		}
	}
	// Fallback: the route table as `route print` shows it.
	out, err := h.run(osToolTimeout, systemTool("route.exe"), "print", "-4")
	if err != nil {
		return "", hasV6, fmt.Errorf("host: default route: %w", err)
	}
	routes := parseWindowsRoutePrint(out)
	if len(routes) == 0 {
		return "", hasV6, nil
	}
	name, err := interfaceWithAddr(routes[0].Interface.String())
	return name, hasV6, err
}

// interfaceWithAddr returns the friendly name of the interface holding ip.
func interfaceWithAddr(ip string) (string, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return "", fmt.Errorf("host: interfaces: %w", err)
	}
	for _, ifc := range ifs {
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.String() == ip {
				return ifc.Name, nil
			}
		}
	}
	return "", fmt.Errorf("host: no interface has the default route's address %s", ip)
}

func (h windowsHost) LinkKind(iface string) (string, map[string]string, error) {
	adapters, err := adapterAddresses()
	if err != nil {
		return "unknown", nil, fmt.Errorf("host: adapters: %w", err)
	}
	for _, a := range adapters {
		name := windows.UTF16PtrToString(a.FriendlyName)
		if name != iface {
			continue
		}
		desc := windows.UTF16PtrToString(a.Description)
		kind := winAdapterKind(a.IfType, desc, name)
		details := map[string]string{"description": desc, "if_type": strconv.FormatUint(uint64(a.IfType), 10)}
		if kind == "wireless" && a.IfType == ifTypeIEEE80211 {
			for k, v := range h.wifi(iface) {
				details[k] = v
			}
		}
		return kind, details, nil
	}
	return "unknown", nil, fmt.Errorf("host: no adapter named %q", iface)
}

// wifi reads signal and radio from netsh; every failure is "unknown".
func (h windowsHost) wifi(iface string) map[string]string {
	out, err := h.run(osToolTimeout, systemTool("netsh.exe"), "wlan", "show", "interfaces")
	return netshWifiDetails(consoleToUTF8(out), err, iface)
}

// adapterAddresses returns every adapter (GetAdaptersAddresses, growing the
// buffer as the API asks).
func adapterAddresses() ([]*windows.IpAdapterAddresses, error) {
	size := uint32(15 * 1024)
	for range 4 {
		buf := make([]byte, size)
		first := (*windows.IpAdapterAddresses)(unsafe.Pointer(&buf[0]))
		err := windows.GetAdaptersAddresses(windows.AF_UNSPEC, windows.GAA_FLAG_SKIP_ANYCAST|windows.GAA_FLAG_SKIP_MULTICAST|windows.GAA_FLAG_SKIP_DNS_SERVER, 0, first, &size)
		if errors.Is(err, windows.ERROR_BUFFER_OVERFLOW) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var out []*windows.IpAdapterAddresses
		for a := first; a != nil; a = a.Next {
			out = append(out, a)
		}
		return out, nil
	}
	return nil, errors.New("adapter list kept growing")
}

// consoleToUTF8 converts netsh output from the console code page (CP932 on
// Japanese Windows) to UTF-8; output that is already UTF-8 is kept.
func consoleToUTF8(s string) string {
	if s == "" || utf8.ValidString(s) {
		return s
	}
	cp, err := windows.GetConsoleOutputCP()
	if err != nil || cp == 0 {
		cp = 1 // CP_OEMCP: the system's OEM code page, what netsh uses without a console
	}
	src := []byte(s)
	n, err := windows.MultiByteToWideChar(cp, 0, &src[0], int32(len(src)), nil, 0)
	if err != nil || n <= 0 {
		return s
	}
	wide := make([]uint16, n)
	if _, err := windows.MultiByteToWideChar(cp, 0, &src[0], int32(len(src)), &wide[0], n); err != nil {
		return s
	}
	return windows.UTF16ToString(wide)
}

// Registry locations of the proxy settings (see parse_winproxy.go).
const (
	inetSettingsKey = `Software\Microsoft\Windows\CurrentVersion\Internet Settings`
	connectionsKey  = inetSettingsKey + `\Connections`
)

func (h windowsHost) ProxySettings() (map[string]string, error) {
	cfg, err := h.ProxyConfig()
	return cfg.Proxies, err
}

// ProxyConfig reads the proxies and their exception lists once.
func (windowsHost) ProxyConfig() (ProxyConfig, error) {
	var in winProxyInput
	user, err := registry.OpenKey(registry.CURRENT_USER, inetSettingsKey, registry.QUERY_VALUE)
	if err != nil {
		return ProxyConfig{}, fmt.Errorf("host: proxy settings: HKCU\\%s: %w", inetSettingsKey, err)
	}
	defer user.Close()
	if v, _, err := user.GetIntegerValue("ProxyEnable"); err == nil {
		in.ProxyEnable = v == 1
	}
	in.ProxyServer, _, _ = user.GetStringValue("ProxyServer")
	in.ProxyOverride, _, _ = user.GetStringValue("ProxyOverride")
	in.AutoConfigURL, _, _ = user.GetStringValue("AutoConfigURL")
	if conns, err := registry.OpenKey(registry.CURRENT_USER, connectionsKey, registry.QUERY_VALUE); err == nil {
		in.DefaultConnection, _, _ = conns.GetBinaryValue("DefaultConnectionSettings")
		conns.Close()
	}
	if machine, err := registry.OpenKey(registry.LOCAL_MACHINE, connectionsKey, registry.QUERY_VALUE); err == nil {
		in.WinHTTP, _, _ = machine.GetBinaryValue("WinHttpSettings")
		machine.Close()
	}
	return winProxyConfig(in), nil
}

var _ ProxyConfigReader = windowsHost{}
