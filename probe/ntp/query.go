// Package ntp asks one NTP server for the time as a hard phone does (a
// client-mode query over UDP, retried once for a lost datagram) and returns
// what came back: the reply's stratum, offset and round trip, or how the
// exchange failed. ntp.hardphone judges it.
package ntp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	bntp "github.com/beevik/ntp"

	"github.com/biztel-tools/biztel-doctor/internal/neterr"
)

// Outcome is how the last query ended.
type Outcome int

const (
	Answered Outcome = iota
	Timeout
	Refused
	Invalid // something answered, but not a usable NTP reply to our query
	Socket  // the tool's own socket failed (or no route: the caller decides)
)

// Dialer opens the UDP socket towards the server (checks.Env's dialer).
type Dialer interface {
	DialContext(ctx context.Context, network, addr string) (net.Conn, error)
}

// Options bound a query.
type Options struct {
	Attempts   int           // queries at most; only a timeout is retried
	PerAttempt time.Duration // each query's limit (cut to the context's deadline)
	// Classify reads a socket error; nil is neterr.Classify (a test may
	// swap in another OS's numbers).
	Classify func(error) neterr.Class
}

// Reply is the server's answer, when there was one.
type Reply struct {
	Stratum     uint8
	RTT         time.Duration
	ClockOffset time.Duration
	Reference   string // reference id as text (an IP or a four-letter code)
	Kiss        bool   // a kiss-o'-death (stratum 0): no time for this client now
	KissCode    string // e.g. "RATE", "DENY"
	// Unfit is why the reply must not set a clock (beevik/ntp's Validate);
	// nil when it is fit.
	Unfit error
}

// Result is what one Query saw.
type Result struct {
	Sent      int    // queries sent
	LocalAddr string // the socket's local address, once one was opened
	Outcome   Outcome
	Err       error  // the last query's error; nil when answered
	Reply     *Reply // set when Outcome is Answered
}

// errCrash is a reply that made the NTP library panic.
type errCrash struct{ panic any }

func (e errCrash) Error() string {
	return fmt.Sprintf("the reply could not be decoded (%v)", e.panic)
}

// Query asks server ("ip:port") up to opt.Attempts times, stopping at the
// first outcome that is not a timeout: an answer, good or bad, or a refusal
// does not change by asking again.
func Query(ctx context.Context, d Dialer, server string, opt Options) Result {
	classify := opt.Classify
	if classify == nil {
		classify = neterr.Classify
	}
	var res Result
	res.Outcome = Timeout
	var resp *bntp.Response
	for attempt := 0; attempt < opt.Attempts && ctx.Err() == nil; attempt++ {
		timeout := opt.PerAttempt
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < timeout {
			timeout = time.Until(dl)
		}
		res.Sent++
		resp, res.Err = safeQuery(server, bntp.QueryOptions{
			Timeout: timeout,
			Dialer: func(_, remote string) (net.Conn, error) {
				c, err := d.DialContext(ctx, "udp4", remote)
				if err == nil {
					res.LocalAddr = c.LocalAddr().String()
				}
				return c, err
			},
		})
		res.Outcome = classifyError(res.Err, classify)
		if res.Outcome != Timeout {
			break
		}
	}
	if res.Outcome == Answered {
		res.Reply = replyOf(resp)
	}
	return res
}

func replyOf(resp *bntp.Response) *Reply {
	return &Reply{
		Stratum:     resp.Stratum,
		RTT:         resp.RTT,
		ClockOffset: resp.ClockOffset,
		Reference:   resp.ReferenceString(),
		Kiss:        resp.IsKissOfDeath(),
		KissCode:    resp.KissCode,
		Unfit:       resp.Validate(),
	}
}

// safeQuery is bntp.QueryWithOptions with its panics turned into errors:
// beevik/ntp v1.6.0 panics on a reply whose poll field is -128 (toInterval
// negates an int8), so a hostile or broken server could otherwise crash the
// check.
func safeQuery(server string, opt bntp.QueryOptions) (resp *bntp.Response, err error) {
	defer func() {
		if p := recover(); p != nil {
			resp, err = nil, errCrash{p}
		}
	}()
	return bntp.QueryWithOptions(server, opt)
}

// classifyError reads one query's error.
func classifyError(err error, classify func(error) neterr.Class) Outcome {
	var ne net.Error
	switch {
	case err == nil:
		return Answered
	case classify(err) == neterr.Refused:
		// ICMP port unreachable. Unix only: Go turns these reports off on
		// Windows UDP sockets (SIO_UDP_CONNRESET, go.dev/issue/5834), so
		// there a refusal reads as a timeout.
		return Refused
	case errors.As(err, &ne) && ne.Timeout():
		return Timeout
	case errors.As(err, new(errCrash)):
		return Invalid
	case errors.Is(err, bntp.ErrServerResponseMismatch), errors.Is(err, bntp.ErrInvalidTime),
		errors.Is(err, bntp.ErrInvalidMode), errors.Is(err, bntp.ErrInvalidTransmitTime),
		errors.Is(err, bntp.ErrServerTickedBackwards), errors.Is(err, bntp.ErrAuthNAK):
		return Invalid
	}
	return Socket
}
