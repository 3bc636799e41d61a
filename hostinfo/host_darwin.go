//go:build darwin

package hostinfo

func init() {
	systemHost = func() Host { return darwinHost{run: runOSTool} }
}
