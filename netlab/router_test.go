//go:build linux

package netlab

import (
	"strings"
	"testing"
	"time"
)

// TestRuleset checks the rendered nftables text of each router option
// (no root needed; the bed tests load it into a real kernel).
func TestRuleset(t *testing.T) {
	cases := []struct {
		name string
		cfg  RouterConfig
		want []string
		not  []string
	}{
		{"healthy", RouterConfig{}, []string{"oifname \"wan0\" masquerade\n", "counter name escaped drop", "hook output priority raw"},
			[]string{"fully-random", "ct helper set", "ct timeout set", "numgen"}},
		{"symmetric", RouterConfig{RandomFully: true}, []string{"masquerade fully-random"}, nil},
		{"blocks", RouterConfig{Blocks: []Block{{Transport: "udp", From: 5060, Dst: ServerIP}, {Transport: "tcp", From: 20991, To: 21000}}},
			[]string{"counter block_udp_5060 {}", "ip daddr 198.18.0.10 udp dport 5060 counter name block_udp_5060 drop",
				"iifname \"lan0\" tcp dport 20991-21000 counter name block_tcp_20991_21000 drop"}, nil},
		{"return", RouterConfig{DropUDPReturn: true}, []string{"iifname \"wan0\" oifname \"lan0\" meta l4proto udp counter name udp_return drop"}, nil},
		{"sip-alg", RouterConfig{SIPHelper: true}, []string{"udp dport 5060 counter name sip_helper ct helper set \"sip_udp\""}, nil},
		{"ftp-alg", RouterConfig{FTPHelper: true}, []string{"ct helper set \"ftp_tcp\"", "tcp dport 20991-21000 ct state new counter name passive_new drop"}, nil},
		{"timer", RouterConfig{UDPTimeout: 20 * time.Second}, []string{"policy = { unreplied: 20, replied: 20 }", "ct state new counter name udp_timeout ct timeout set \"udp_short\""}, nil},
		{"loss", RouterConfig{LossPercent: 5, LossTo: ReflectorIP}, []string{"ip daddr 198.18.0.40 meta l4proto udp numgen random mod 100 < 5 counter name loss drop"}, nil},
		{"loss-without-target", RouterConfig{LossPercent: 5}, nil, []string{"numgen"}},
		{"proxy-only", RouterConfig{ProxyOnly: true}, []string{"oifname \"wan0\" meta l4proto tcp counter name tcp_blocked drop"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs := c.cfg.ruleset()
			for _, w := range c.want {
				if !strings.Contains(rs, w) {
					t.Errorf("missing %q in:\n%s", w, rs)
				}
			}
			for _, n := range c.not {
				if strings.Contains(rs, n) {
					t.Errorf("unexpected %q in:\n%s", n, rs)
				}
			}
			for _, net := range bedNets {
				if !strings.Contains(rs, net) {
					t.Errorf("escape rule lacks bed network %s", net)
				}
			}
		})
	}
}
