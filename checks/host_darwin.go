//go:build darwin

package checks

func init() {
	systemHost = func() HostInfo { return darwinHost{run: runOSTool} }
}
