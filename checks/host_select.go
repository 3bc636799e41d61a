package checks

import "runtime"

// systemHost returns this OS's HostInfo. Per-OS files replace unknownHost as
// they arrive (host_linux.go, host_darwin.go, host_windows.go).
var systemHost = func() HostInfo { return unknownHost{} }

func defaultHostsFile() string {
	if runtime.GOOS == "windows" {
		return `C:\Windows\System32\drivers\etc\hosts`
	}
	return "/etc/hosts"
}
