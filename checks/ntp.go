package checks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/beevik/ntp"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/internal/neterr"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// NTP timing. A hard phone asks once per poll interval; two queries are a
// courteous retry for one lost datagram. 1 s per query is ten times a slow
// internet round trip.
const (
	ntpAttempts       = 2
	ntpAttemptTimeout = time.Second
	ntpCheckBudget    = resolveTimeout + ntpAttempts*ntpAttemptTimeout + 500*time.Millisecond // plus resolving and socket set-up
	// ntpOffsetWarn is the clock offset above which the check warns (the
	// issue's 1 s: beyond that call logs and recordings on the phone drift
	// visibly from the server's).
	ntpOffsetWarn = time.Second
	// ntpMaxStratum: 16 means unsynchronised (RFC 5905 §7.3).
	ntpMaxStratum = 16
)

func init() {
	register(Spec{
		ID:       "ntp.hardphone",
		Timeout:  ntpCheckBudget,
		Remedies: []string{"allow-ntp", "allow-return-traffic", "check-clock"},
		Plan:     ntpPlan,
		Run:      runNTP,
	})
}

func ntpPlan(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	if !p.Option(content.OptHardphone) {
		return nil, content.T("ハードフォンを使わない設定のため対象外です（options.hardphone: false）",
			"not applicable: hard phones are off (options.hardphone: false)")
	}
	port := opt.Ports.NTP
	return []Destination{{Proto: "NTP", Transport: "udp", Address: p.NTPServer(), Ports: content.PortRange{From: port, To: port},
		Purpose: content.T("NTP 問い合わせ（LAN→WAN ⑨、ハードフォンの時刻合わせ）", "NTP query (LAN→WAN row 9, hard phones' clock)")}}, content.Text{}
}

// ntpOutcome classifies one query's error.
type ntpOutcome int

const (
	ntpAnswered ntpOutcome = iota
	ntpTimeout
	ntpRefused
	ntpInvalid // something answered, but not a usable NTP reply to our query
	ntpSocket
)

// errNTPCrash is a reply that made the NTP library panic.
type errNTPCrash struct{ panic any }

func (e errNTPCrash) Error() string {
	return fmt.Sprintf("the reply could not be decoded (%v)", e.panic)
}

// queryNTP is ntp.QueryWithOptions with its panics turned into errors:
// beevik/ntp v1.6.0 panics on a reply whose poll field is -128 (toInterval
// negates an int8), so a hostile or broken server could otherwise crash the
// check.
func queryNTP(server string, opt ntp.QueryOptions) (resp *ntp.Response, err error) {
	defer func() {
		if p := recover(); p != nil {
			resp, err = nil, errNTPCrash{p}
		}
	}()
	return ntp.QueryWithOptions(server, opt)
}

func classifyNTPError(err error) ntpOutcome {
	var ne net.Error
	switch {
	case err == nil:
		return ntpAnswered
	case classifyNet(err) == neterr.Refused:
		// ICMP port unreachable. Unix only: Go turns these reports off on
		// Windows UDP sockets (SIO_UDP_CONNRESET, go.dev/issue/5834), so
		// there a refusal reads as a timeout.
		return ntpRefused
	case errors.As(err, &ne) && ne.Timeout():
		return ntpTimeout
	case errors.As(err, new(errNTPCrash)):
		return ntpInvalid
	case errors.Is(err, ntp.ErrServerResponseMismatch), errors.Is(err, ntp.ErrInvalidTime),
		errors.Is(err, ntp.ErrInvalidMode), errors.Is(err, ntp.ErrInvalidTransmitTime),
		errors.Is(err, ntp.ErrServerTickedBackwards), errors.Is(err, ntp.ErrAuthNAK):
		return ntpInvalid
	}
	return ntpSocket
}

func runNTP(ctx context.Context, in *Input) Result {
	const id = "ntp.hardphone"
	if len(in.Targets) == 0 {
		return ErrorResult(id, content.T("送信先がありません", "no destination planned"))
	}
	d := in.Targets[0]
	ip, err := resolveIPv4(ctx, in.Env, d.Address)
	if err != nil {
		return ErrorResult(id, content.Tf("NTP サーバのアドレスを解決できません: %v", "cannot resolve the NTP server: %v", err)).WithFact("server", d.Address)
	}
	server := netip.AddrPortFrom(ip, uint16(d.Ports.From)).String()
	facts := Facts{"server": server, "page_port": 123}
	var resp *ntp.Response
	var lastErr error
	outcome := ntpTimeout
	sent := 0
	for attempt := 0; attempt < ntpAttempts && ctx.Err() == nil; attempt++ {
		timeout := ntpAttemptTimeout
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < timeout {
			timeout = time.Until(dl)
		}
		sent++
		resp, lastErr = queryNTP(server, ntp.QueryOptions{
			Timeout: timeout,
			Dialer: func(_, remote string) (net.Conn, error) {
				c, err := in.Env.Dialer.DialContext(ctx, "udp4", remote)
				if err == nil {
					facts["local_addr"] = c.LocalAddr().String()
				}
				return c, err
			},
		})
		outcome = classifyNTPError(lastErr)
		if outcome != ntpTimeout {
			break // an answer, good or bad, or a refusal: asking again changes nothing
		}
	}
	facts["requests_sent"] = sent
	if lastErr != nil {
		facts["error"] = lastErr.Error()
	}
	switch outcome {
	case ntpTimeout:
		return FailResult(id, content.Tf("NTP サーバ %s が UDP 123 に応答しません（%d 回問い合わせ）。送信が塞がれているか、戻りパケットが通っていません",
			"the NTP server %s does not answer on UDP 123 (%d queries): blocked outbound, or the answers are not let back in", d.Address, sent),
			"allow-ntp", "allow-return-traffic").withFacts(facts)
	case ntpRefused:
		facts["icmp_unreachable"] = true
		return FailResult(id, content.Tf("NTP サーバ %s の UDP 123 は拒否されました（ICMP 到達不能）", "UDP 123 of the NTP server %s was refused (ICMP unreachable)", d.Address),
			"allow-ntp").withFacts(facts)
	case ntpInvalid:
		return FailResult(id, content.Tf("UDP 123 に NTP として使えない応答が返りました: %v", "UDP 123 answered with something that is not a usable NTP reply: %v", lastErr),
			"allow-ntp").withFacts(facts)
	case ntpSocket:
		if r, ok := noRouteResult(id, "NTP "+server, lastErr); ok {
			return r.withFacts(facts)
		}
		return ErrorResult(id, content.Tf("NTP の問い合わせができませんでした: %v", "could not query NTP: %v", lastErr)).withFacts(facts)
	}
	facts["stratum"] = int(resp.Stratum)
	facts["rtt_ms"] = ms(resp.RTT)
	facts["offset_ms"] = float64(resp.ClockOffset.Microseconds()) / 1000
	facts["reference"] = resp.ReferenceString()
	switch {
	case resp.IsKissOfDeath():
		facts["kiss_code"] = resp.KissCode
		return WarnResult(id, content.Tf("NTP サーバは応答しましたが、時刻を提供しない旨（Kiss-o'-Death %q）を返しました", "the NTP server answered, but with a kiss-o'-death (%q): it will not serve time to this address now", resp.KissCode),
			"allow-ntp").withFacts(facts)
	case resp.Stratum >= ntpMaxStratum:
		return WarnResult(id, content.Tf("NTP サーバは応答しましたが同期していません（stratum %d）", "the NTP server answered but is not synchronised (stratum %d)", resp.Stratum),
			"allow-ntp").withFacts(facts)
	}
	if err := resp.Validate(); err != nil {
		facts["validation"] = err.Error()
		return WarnResult(id, content.Tf("NTP の応答は時刻合わせに使えません: %v", "the NTP answer is not fit for setting a clock: %v", err), "allow-ntp").withFacts(facts)
	}
	off := resp.ClockOffset.Abs()
	if off > ntpOffsetWarn {
		return WarnResult(id, content.Tf("NTP は応答しました（stratum %d）が、この PC の時計とのずれが %.1f 秒あります", "NTP answered (stratum %d), but this PC's clock is %.1f s off", resp.Stratum, resp.ClockOffset.Seconds()),
			"check-clock").withFacts(facts)
	}
	return PassResult(id, content.Tf("NTP は応答しました（stratum %d、ずれ %.0f ms、RTT %.1f ms）", "NTP answered (stratum %d, offset %.0f ms, RTT %.1f ms)",
		resp.Stratum, float64(resp.ClockOffset.Microseconds())/1000, ms(resp.RTT))).withFacts(facts)
}
