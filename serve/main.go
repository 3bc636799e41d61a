package serve

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/biztel-tools/biztel-doctor/content"
)

const usage = `biztel-doctor serve — the reflector for sip.alg, rtp.range, media.quality,
media.bandwidth and nat.timer.

Run it on a host with a PUBLIC IPv4 address that is not behind a SIP-ALG or a
NAT of its own (a small cloud VM is enough), then give customers its address
(profile "reflector: {addr: IP, token: …}" or --reflector IP).

Open these inbound on the host's firewall / security group:
  UDP and TCP  --sip-port (default 5060)        SIP echo, NAT-timer probes
  UDP          --control-port (default 20999)   control, call-quality echo
  UDP          --rtp range (default 10000-20000) RTP range sweep, media echo
The defaults are BIZTEL's ports, so a customer's firewall rules are tested as
they are written. The full RTP range needs one socket per port: the open-file
limit is raised to the hard limit at start (set LimitNOFILE=11000 or more
under systemd); serve says so and exits when it still does not fit.

Safety: a reply is never larger than its request (no amplification); every
source has a packet budget; state is bounded and expires. Set --token (or
BIZTEL_DOCTOR_TOKEN) so that only your customers can use it: with a token,
unsigned requests are refused, and NAT-timer probes (one delayed packet each)
are served only with a token. One log line per client session goes to stderr.

Flags:
`

// Main runs `biztel-doctor serve` with args (after the subcommand) until
// SIGINT/SIGTERM, returning the exit status: 0 after a clean stop, 2 for
// bad flags, 1 when the reflector cannot start.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // help goes to stdout once; an error is one line
	cfg := DefaultConfig()
	rtp := fs.String("rtp", DefaultRTP.String(), `UDP RTP echo range FROM-TO, or "none"`)
	fs.StringVar(&cfg.Listen, "listen", "", "IP address to listen on (default: every address)")
	fs.IntVar(&cfg.SIPPort, "sip-port", DefaultSIPPort, "SIP echo port, UDP and TCP")
	fs.IntVar(&cfg.ControlPort, "control-port", DefaultControlPort, "control/echo port (UDP)")
	fs.StringVar(&cfg.Token, "token", os.Getenv("BIZTEL_DOCTOR_TOKEN"), "shared token clients must sign with (env BIZTEL_DOCTOR_TOKEN)")
	fs.IntVar(&cfg.RatePPS, "rate", DefaultRatePPS, "packets per second allowed per source address")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return 0
		}
		fmt.Fprintf(stderr, "biztel-doctor serve: %v (see biztel-doctor serve --help)\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "serve: unexpected argument %q (see --help)\n", fs.Arg(0))
		return 2
	}
	if strings.EqualFold(*rtp, "none") {
		cfg.RTP = content.PortRange{}
	} else {
		r, err := content.ParsePortRange(*rtp)
		if err != nil {
			fmt.Fprintf(stderr, "serve: --rtp: %v (expected FROM-TO such as 10000-20000, or none)\n", err)
			return 2
		}
		cfg.RTP = r
	}
	cfg.Log = log.New(stderr, "serve: ", log.LstdFlags|log.LUTC)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s, err := Start(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	auth := "no token: anyone may use it, and NAT-timer probes are off"
	if cfg.Token != "" {
		auth = "token required"
	}
	fmt.Fprintf(stdout, "biztel-doctor serve: SIP %s (udp+tcp), control %s (udp), RTP %s; %s\n",
		s.SIPAddr(), s.ControlAddr(), rtpLabel(cfg.RTP), auth)
	<-ctx.Done()
	s.Close()
	return 0
}

func rtpLabel(r content.PortRange) string {
	if rtpSize(r) == 0 {
		return "off"
	}
	return r.String() + " (udp)"
}
