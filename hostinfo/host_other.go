package hostinfo

import (
	"errors"
	"runtime"
)

// Unknown is the Host of a platform without an implementation: every
// answer is "unknown", never a guess.
type Unknown struct{}

var errHostUnsupported = errors.New("not available on " + runtime.GOOS)

func (Unknown) DefaultRoute() (string, bool, error) { return "", false, errHostUnsupported }
func (Unknown) LinkKind(string) (string, map[string]string, error) {
	return "unknown", nil, errHostUnsupported
}
func (Unknown) ProxySettings() (map[string]string, error) { return nil, errHostUnsupported }
func (Unknown) ProxyConfig() (ProxyConfig, error)         { return ProxyConfig{}, errHostUnsupported }

var _ ProxyConfigReader = Unknown{}
