//go:build linux

package netlab

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Block is an outbound rule the customer's router lacks: packets from the
// LAN of that transport to those ports are dropped (and counted).
type Block struct {
	Transport string // "udp" or "tcp"
	From, To  int    // destination ports; To 0 means From only
	Dst       string // destination address; "" means any
}

func (k Block) ports() string {
	if k.To == 0 || k.To == k.From {
		return strconv.Itoa(k.From)
	}
	return fmt.Sprintf("%d-%d", k.From, k.To)
}

// CounterName is the nftables counter of the block's drop rule.
func (k Block) CounterName() string {
	return fmt.Sprintf("block_%s_%s", k.Transport, strings.ReplaceAll(k.ports(), "-", "_"))
}

// RouterConfig is the customer's router of one scenario. The zero value is
// a healthy office router: NAT (masquerade, keeping source ports where it
// can) and stateful return traffic.
type RouterConfig struct {
	// RandomFully picks a new random port for every mapping (masquerade
	// random-fully): the mapping varies by destination (symmetric NAT).
	RandomFully bool
	// Blocks are outbound rules that are missing.
	Blocks []Block
	// DropUDPReturn drops UDP from the WAN to the LAN, as a router that
	// needs explicit WAN→LAN rules does (the page's YAMAHA note); TCP
	// returns still pass.
	DropUDPReturn bool
	// SIPHelper attaches the kernel SIP ALG (ct helper "sip", nf_nat_sip)
	// to UDP 5060.
	SIPHelper bool
	// FTPHelper attaches the kernel FTP ALG (ct helper "ftp") to TCP 20990
	// and, like a router that trusts its ALG for FTP data, lets passive
	// data connections (20991-21000) through only as RELATED.
	FTPHelper bool
	// UDPTimeout, when set, is the conntrack (NAT mapping) lifetime of
	// every UDP flow (ct timeout object, unreplied and replied).
	UDPTimeout time.Duration
	// LossPercent drops that share of UDP packets from the LAN towards
	// LossTo (numgen random).
	LossPercent int
	LossTo      string
	// ProxyOnly blocks every TCP connection from the LAN to the WAN: only
	// the HTTP proxy in the router namespace (RouterLANIP:ProxyPort) gets
	// out.
	ProxyOnly bool
	// DropFragments drops every IP fragment after the first, both ways, as
	// a firewall that drops fragments does: large SIP over UDP (sip.size)
	// is lost. The rule sits in a prerouting chain at priority -450,
	// before conntrack reassembles fragments (-400), which would hide them.
	DropFragments bool
}

// Counter names of the fault rules.
const (
	CounterEscaped   = "escaped"    // packets towards anything outside the bed; must stay 0
	CounterUDPReturn = "udp_return" // UDP returns dropped (DropUDPReturn)
	CounterSIPHelper = "sip_helper" // packets given the SIP helper
	CounterFTPHelper = "ftp_helper" // packets given the FTP helper
	CounterPassive   = "passive_new"
	CounterTimeout   = "udp_timeout" // flows given the short UDP timeout
	CounterLoss      = "loss"
	CounterTCPBlock  = "tcp_blocked"  // TCP from the LAN to the WAN dropped (ProxyOnly)
	CounterFragments = "frag_dropped" // non-first IP fragments dropped (DropFragments)
)

// ruleset renders the router's nftables ruleset.
func (c RouterConfig) ruleset() string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	w("flush ruleset")
	w("table inet bed {")
	for _, n := range []string{CounterEscaped, CounterUDPReturn, CounterSIPHelper, CounterFTPHelper, CounterPassive, CounterTimeout, CounterLoss, CounterTCPBlock, CounterFragments} {
		w("  counter %s {}", n)
	}
	for _, k := range c.Blocks {
		w("  counter %s {}", k.CounterName())
	}
	w("  ct helper sip_udp { type \"sip\" protocol udp; l3proto ip; }")
	w("  ct helper ftp_tcp { type \"ftp\" protocol tcp; l3proto ip; }")
	if c.UDPTimeout > 0 {
		s := int(c.UDPTimeout.Seconds())
		w("  ct timeout udp_short { protocol udp; l3proto ip; policy = { unreplied: %d, replied: %d }; }", s, s)
	}
	// Before conntrack: the escape counter.
	w("  chain raw_pre { type filter hook prerouting priority raw; policy accept;")
	w("    meta nfproto ipv4 ip daddr != { %s, 224.0.0.0/4, 255.255.255.255 } counter name %s drop", strings.Join(bedNets, ", "), CounterEscaped)
	w("    meta nfproto ipv6 ip6 daddr != { %s, fe80::/10, ff00::/8 } counter name %s drop", V6Net, CounterEscaped)
	w("  }")
	w("  chain raw_out { type filter hook output priority raw; policy accept;")
	w("    meta nfproto ipv4 ip daddr != { %s, 127.0.0.0/8, 224.0.0.0/4, 255.255.255.255 } counter name %s drop", strings.Join(bedNets, ", "), CounterEscaped)
	w("    meta nfproto ipv6 ip6 daddr != { %s, ::1, fe80::/10, ff00::/8 } counter name %s drop", V6Net, CounterEscaped)
	w("  }")
	if c.DropFragments {
		w("  chain frag_pre { type filter hook prerouting priority -450; policy accept;")
		w("    ip frag-off & 0x1fff != 0 counter name %s drop", CounterFragments)
		w("  }")
	}
	w("  chain through { type filter hook forward priority filter; policy accept;")
	if c.UDPTimeout > 0 {
		// After conntrack, on the flow's first packet (ct state new).
		w("    iifname \"lan0\" meta l4proto udp ct state new counter name %s ct timeout set \"udp_short\"", CounterTimeout)
	}
	if c.SIPHelper {
		w("    iifname \"lan0\" udp dport 5060 counter name %s ct helper set \"sip_udp\"", CounterSIPHelper)
	}
	if c.FTPHelper {
		w("    iifname \"lan0\" tcp dport 20990 counter name %s ct helper set \"ftp_tcp\"", CounterFTPHelper)
		w("    iifname \"lan0\" tcp dport 20991-21000 ct state new counter name %s drop", CounterPassive)
	}
	if c.LossPercent > 0 && c.LossTo != "" {
		w("    iifname \"lan0\" ip daddr %s meta l4proto udp numgen random mod 100 < %d counter name %s drop", c.LossTo, c.LossPercent, CounterLoss)
	}
	for _, k := range c.Blocks {
		dst := ""
		if k.Dst != "" {
			dst = "ip daddr " + k.Dst + " "
		}
		w("    iifname \"lan0\" %s%s dport %s counter name %s drop", dst, k.Transport, k.ports(), k.CounterName())
	}
	if c.DropUDPReturn {
		w("    iifname \"wan0\" oifname \"lan0\" meta l4proto udp counter name %s drop", CounterUDPReturn)
	}
	if c.ProxyOnly {
		w("    iifname \"lan0\" oifname \"wan0\" meta l4proto tcp counter name %s drop", CounterTCPBlock)
	}
	w("  }")
	w("}")
	w("table ip bednat {")
	w("  chain post { type nat hook postrouting priority srcnat; policy accept;")
	if c.RandomFully {
		w("    oifname \"wan0\" masquerade fully-random")
	} else {
		w("    oifname \"wan0\" masquerade")
	}
	w("  }")
	w("}")
	return b.String()
}

// SetRouter replaces the router's ruleset (in the router namespace only)
// and forgets every NAT mapping, so the scenario starts from clean state.
func (b *Bed) SetRouter(c RouterConfig) error {
	path := filepath.Join(b.Dir, "router.nft")
	if err := os.WriteFile(path, []byte(c.ruleset()), 0o644); err != nil {
		return fmt.Errorf("netlab: %w", err)
	}
	if err := b.Router.Exec("nft", "-f", path); err != nil {
		return err
	}
	b.mu.Lock()
	b.routerCfg = c
	b.mu.Unlock()
	return b.FlushConntrack()
}

// FlushConntrack forgets the router's NAT mappings.
func (b *Bed) FlushConntrack() error {
	out, err := b.Router.Output("conntrack", "-F")
	if err != nil && !strings.Contains(out, "flushed") {
		return err
	}
	return nil
}

// Ruleset is the router's live ruleset with counters (`nft list ruleset`),
// for failure messages.
func (b *Bed) Ruleset() string {
	out, err := b.Router.Output("nft", "list", "ruleset")
	if err != nil {
		return err.Error()
	}
	return out
}

var packetsRE = regexp.MustCompile(`packets (\d+) bytes`)

// Counter reads a named counter of the router's ruleset.
func (b *Bed) Counter(name string) (int, error) {
	out, err := b.Router.Output("nft", "list", "counter", "inet", "bed", name)
	if err != nil {
		return 0, err
	}
	m := packetsRE.FindStringSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("netlab: counter %s: no packet count in %q", name, out)
	}
	return strconv.Atoi(m[1])
}

// Conntrack lists the router's connection tracking table (`conntrack -L`
// with extra args), e.g. to see helper=sip on a flow.
func (b *Bed) Conntrack(args ...string) string {
	out, _ := b.Router.Output("conntrack", append([]string{"-L"}, args...)...)
	return out
}
