//go:build linux

package netlab

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrNoServe: the binary has no `serve` subcommand (yet).
var ErrNoServe = errors.New("netlab: this biztel-doctor has no serve subcommand")

// ReflectorToken is the shared secret of the bed's reflector.
const ReflectorToken = "netlab-token"

// StartReflector runs `biztel-doctor serve` (bin is the binary the test
// built) on ReflectorIP with the page's ports and the bed's token, and waits
// until it has printed its ready line and accepts SIP over TCP on 5060.
func (b *Bed) StartReflector(bin string) (*Process, error) {
	p, err := b.Start(b.Server, bin, "serve", "--listen", ReflectorIP, "--token", ReflectorToken)
	if err != nil {
		return nil, err
	}
	err = p.WaitReady(func(ctx context.Context) error {
		if !strings.Contains(p.Log(), "biztel-doctor serve:") {
			return fmt.Errorf("no ready line yet")
		}
		c, err := b.Server.DialContext(ctx, "tcp4", ReflectorIP+":5060")
		if err != nil {
			return err
		}
		return c.Close()
	})
	if err != nil && strings.Contains(p.Log(), "serve: not built") {
		return nil, fmt.Errorf("%w: %s", ErrNoServe, strings.TrimSpace(p.Log()))
	}
	return p, err
}
