package checks

import (
	"errors"
	"runtime"
)

// unknownHost is the HostInfo of a platform without an implementation: every
// answer is "unknown", never a guess.
type unknownHost struct{}

var errHostUnsupported = errors.New("not available on " + runtime.GOOS)

func (unknownHost) DefaultRoute() (string, bool, error) { return "", false, errHostUnsupported }
func (unknownHost) LinkKind(string) (string, map[string]string, error) {
	return "unknown", nil, errHostUnsupported
}
func (unknownHost) ProxySettings() (map[string]string, error) { return nil, errHostUnsupported }
func (unknownHost) ProxyConfig() (ProxyConfig, error)         { return ProxyConfig{}, errHostUnsupported }

var _ ProxyConfigReader = unknownHost{}
