// Package winesmoke runs the real windows/amd64 binary under Wine (Debian's
// wine64, which implements the Win32 socket, IP Helper and registry APIs and
// returns Windows' own error numbers) inside a loopback-only network
// namespace. Tests only; see wine_test.go for what Wine can and cannot show.
package winesmoke
