package monitor

import (
	"crypto/rand"
	"encoding/binary"
	"time"
)

// Clock is the run's time: wall time for the record, a monotonic reading
// for every length. On Linux and macOS the monotonic clock stops while the
// machine sleeps, so wall minus monotonic grows by the length of a suspend:
// that is how a gap is seen.
type Clock interface {
	Now() time.Time      // wall time
	Mono() time.Duration // monotonic time since an origin
}

// SystemClock is the machine's clock.
func SystemClock() Clock { return sysClock{origin: time.Now()} }

type sysClock struct{ origin time.Time }

func (c sysClock) Now() time.Time      { return time.Now().Round(0) }
func (c sysClock) Mono() time.Duration { return time.Since(c.origin) }

func randomNonce() uint64 {
	var b [8]byte
	rand.Read(b[:])
	return binary.BigEndian.Uint64(b[:])
}

// anchors convert monotonic times to wall times: each gap starts a new
// anchor, since the wall clock moved on while the monotonic one did not.
type anchors []anchor

type anchor struct {
	mono time.Duration
	wall time.Time
}

func (a anchors) wall(m time.Duration) time.Time {
	for i := len(a) - 1; i >= 0; i-- {
		if a[i].mono <= m || i == 0 {
			return a[i].wall.Add(m - a[i].mono)
		}
	}
	return time.Time{}
}
