package hostinfo

import "runtime"

// systemHost returns this OS's Host. Per-OS files replace Unknown as
// they arrive (host_linux.go, host_darwin.go, host_windows.go).
var systemHost = func() Host { return Unknown{} }

func DefaultHostsFile() string {
	if runtime.GOOS == "windows" {
		return `C:\Windows\System32\drivers\etc\hosts`
	}
	return "/etc/hosts"
}
