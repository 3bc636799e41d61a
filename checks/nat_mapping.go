package checks

import (
	"context"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/stun"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// nat.mapping sampling.
const (
	// natExtraSockets: local sockets that each bind to every answering
	// server, on top of the STUN checks' own socket; three extra ports make
	// a port-set sign (mapeMinSamples) possible and repeat a
	// destination-dependent mapping before it is called so.
	natExtraSockets = 3
	// natMaxDestinations bounds the servers each extra socket binds to: two
	// are enough to compare, four covers two servers on both ports.
	natMaxDestinations = 4
	// natMSSTimeout bounds the TCP handshake whose MSS is read.
	natMSSTimeout = 1500 * time.Millisecond
	// natCheckBudget: name lookups, then one STUN round (all sockets in
	// parallel) beside the MSS handshake, plus room.
	natCheckBudget = resolveTimeout + stun.Wait + 500*time.Millisecond
)

func init() {
	register(Spec{
		ID:       "nat.mapping",
		Timeout:  natCheckBudget,
		NeedsAny: []string{"stun.3478", "stun.3479"},
		Remedies: []string{"ipoe-fixed-ip", "avoid-cgnat", "home-router-ports"},
		Plan:     natMappingPlan,
		Run:      runNATMapping,
	})
}

func natMappingPlan(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	var out []Destination
	for _, logical := range []int{3478, 3479} {
		dests, skip := stunPlan(p, stunRealPort(opt, logical), logical)
		if !skip.IsZero() {
			continue
		}
		for _, d := range dests {
			d.Purpose = content.T("追加の STUN Binding（複数のローカルポートから、NAT の振る舞いを比較）",
				"extra STUN bindings from several local ports, to compare NAT behaviour")
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, content.T("STUN サーバが指定されていないため判定できません（「サービスご紹介資料」）",
			"no STUN server given, so nothing to compare (service brochure 「サービスご紹介資料」)")
	}
	if addr := p.ServerAddr(); addr != "" {
		port := opt.Ports.Web
		out = append(out, Destination{Proto: "TCP", Transport: "tcp", Address: addr, Ports: content.PortRange{From: port, To: port},
			Purpose: content.T("TCP 接続の確立のみ（MSS を読み取り、回線の MTU の手がかりにする。データは送りません）",
				"a TCP handshake only (its MSS hints at the line's MTU; no data sent)")})
	}
	return out, content.Text{}
}

// depSamples reads the bindings the STUN checks already made (their typed
// evidence).
func depSamples(deps map[string]Result) []natSample {
	var out []natSample
	for _, id := range []string{"stun.3478", "stun.3479"} {
		r := deps[id]
		ev, ok := EvidenceOf[STUNEvidence](r)
		if !ok || !r.Status.OK() || !ev.Local.IsValid() {
			continue
		}
		for _, b := range ev.Answered() {
			if b.ErrCode == 0 && b.Mapped.IsValid() {
				out = append(out, natSample{Local: ev.Local, Server: b.Server, Mapped: b.Mapped})
			}
		}
	}
	return out
}

// answeredTargets are the STUN destinations that answered in the STUN
// checks, as planned destinations.
func answeredTargets(deps map[string]Result, targets []Destination) []Destination {
	answered := map[string]bool{}
	for _, id := range []string{"stun.3478", "stun.3479"} {
		if ev, ok := EvidenceOf[STUNEvidence](deps[id]); ok {
			for _, b := range ev.Answered() {
				answered[b.Server] = true
			}
		}
	}
	var out []Destination
	for _, d := range targets {
		if d.Proto == "STUN" && answered[d.HostPort()] && len(out) < natMaxDestinations {
			out = append(out, d)
		}
	}
	return out
}

func runNATMapping(ctx context.Context, in *Input) Result {
	const id = "nat.mapping"
	env := in.Env
	samples := depSamples(in.Deps)
	stunTargets := answeredTargets(in.Deps, in.Targets)
	facts := Facts{}

	var mu sync.Mutex
	var wg sync.WaitGroup
	extraErrs := 0
	if len(stunTargets) > 0 {
		for i := 0; i < natExtraSockets; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				round, err := bindFromOneSocket(ctx, env, stunTargets)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					extraErrs++
					return
				}
				for _, b := range round.Bindings {
					if b.Answered && b.Mapped.IsValid() {
						samples = append(samples, natSample{Local: round.Local, Server: b.Server, Mapped: b.Mapped})
					}
				}
			}()
		}
	}
	var mssFacts Facts
	for _, d := range in.Targets {
		if d.Transport == "tcp" {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f := readMSS(ctx, env, d)
				mu.Lock()
				mssFacts = f
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	for k, v := range mssFacts {
		facts[k] = v
	}
	if extraErrs > 0 {
		facts["extra_socket_errors"] = extraErrs
	}

	mapping := classifyMapping(samples)
	facts["samples"] = len(samples)
	facts["sockets"] = mapping.Sockets
	facts["destinations"] = mapping.Destinations
	facts["mapping"] = mapping.Behaviour
	facts["nat"] = mapping.NAT
	facts["public_ips"] = strings.Join(mapping.PublicIPs, ",")
	facts["port_preserved_sockets"] = mapping.Preserved
	facts["port_changed_sockets"] = mapping.NotPreserving
	facts["mapped_ports"] = joinPorts(mapping.MappedPorts)

	// the host's own address: a STUN server never shows 100.64.0.0/10
	var local netip.Addr
	for _, s := range samples {
		local = s.Local.Addr()
		break
	}
	hostCGNAT := local.IsValid() && cgnatSpace.Contains(local)
	if local.IsValid() {
		facts["host_addr"] = local.String()
	}
	facts["host_addr_in_cgnat_space"] = hostCGNAT

	var mape mapeSign
	if mapping.NAT && mapping.NotPreserving > 0 {
		mape = mapeSigns(mapping.MappedPorts)
		facts["mape_shared_bits"] = mape.Bits
		facts["mape_port_samples"] = mape.Samples
		if mape.Seen {
			facts["mape_psid_guess"] = mape.PSID
			facts["mape_chance"] = mape.Chance
		}
	}
	facts["mape_port_set_signs"] = mape.Seen

	if iface, _, err := env.Host.DefaultRoute(); err == nil && iface != "" {
		if kind, details, err := env.Host.LinkKind(iface); err == nil {
			facts["default_iface"] = iface
			facts["tunnel_iface"] = kind == "vpn"
			if t := details["tunnel"]; t != "" {
				facts["tunnel_type"] = t
			}
		}
	}

	if len(samples) == 0 {
		return ErrorResult(id, content.T("STUN のマッピング結果がひとつも得られず、NAT の振る舞いを判定できませんでした",
			"no STUN mapping could be collected, so the NAT behaviour could not be judged")).withFacts(facts)
	}
	var warnings []content.Text
	remedies := []string{}
	addRemedy := func(r string) {
		for _, x := range remedies {
			if x == r {
				return
			}
		}
		remedies = append(remedies, r)
	}
	if hostCGNAT {
		warnings = append(warnings, content.Tf("この PC のアドレス %s は 100.64.0.0/10（キャリアグレード NAT の共有アドレス）です: キャリアグレード NAT の兆候",
			"this host's address %s is in 100.64.0.0/10 (carrier-grade NAT shared space): signs of carrier-grade NAT", local))
		addRemedy("avoid-cgnat")
	}
	if mape.Seen {
		warnings = append(warnings, content.Tf("グローバル側のポート %s がビット 4-11 のうち %d ビットを共有しています（偶然の確率 %.2g）: MAP-E 方式の IPoE のポートセットの兆候",
			"the public ports %s share %d bits just below the top four (chance %.2g): signs of a MAP-E (IPoE) port set",
			joinPorts(mapping.MappedPorts), mape.Bits, mape.Chance))
		addRemedy("ipoe-fixed-ip")
		addRemedy("home-router-ports")
	}
	if hint, _ := facts["mss_hint"].(string); hint == mssHintTunnel {
		warnings = append(warnings, content.Tf("TCP の MSS が %v で、MTU 1460 の IPv4 over IPv6 トンネル（DS-Lite/MAP-E）の手がかりです（証拠ではありません）",
			"the TCP MSS is %v, a hint of an IPv4-over-IPv6 tunnel with MTU 1460 (DS-Lite/MAP-E), not proof", facts["mss"]))
		addRemedy("ipoe-fixed-ip")
	}
	if mapping.Behaviour == mappingDependent {
		warnings = append(warnings, content.Tf("宛先ごとに別のグローバルポートが割り当てられます（%d 個のソケットで確認）: 宛先依存（シンメトリック）NAT の兆候",
			"the public port changes with the destination (seen on %d sockets): signs of a destination-dependent (symmetric) NAT", mapping.Dependent))
		addRemedy("home-router-ports")
	}
	if len(warnings) > 0 {
		ja, en := make([]string, len(warnings)), make([]string, len(warnings))
		for i, w := range warnings {
			ja[i], en[i] = w.Ja, w.En
		}
		return WarnResult(id, content.T(strings.Join(ja, "。"), strings.Join(en, "; ")), remedies...).withFacts(facts)
	}
	switch mapping.Behaviour {
	case mappingNoNAT:
		return PassResult(id, content.Tf("NAT はありません（STUN サーバには PC のアドレス %s がそのまま見えています）",
			"no NAT: the STUN servers see this host's own address %s", local)).withFacts(facts)
	case mappingIndependent:
		return PassResult(id, content.Tf("NAT は宛先によらず同じグローバルアドレスを使います（%s、送信元ポート維持 %d/%d ソケット）",
			"the NAT keeps one public address whatever the destination (%s; source port kept on %d of %d sockets)",
			strings.Join(mapping.PublicIPs, ", "), mapping.Preserved, mapping.Sockets)).withFacts(facts)
	}
	return PassResult(id, content.Tf("NAT の振る舞いは判定しきれませんでした（%s）が、問題の兆候はありません", "the NAT behaviour could not be fully judged (%s), but no sign of trouble was seen",
		mapping.Behaviour)).withFacts(facts)
}

// readMSS opens a TCP connection to d, reads its MSS and closes it without
// sending data.
func readMSS(ctx context.Context, env *Env, d Destination) Facts {
	f := Facts{}
	ip, err := resolveIPv4(ctx, env, d.Address)
	if err != nil {
		f["mss_error"] = err.Error()
		return f
	}
	cctx, cancel := context.WithTimeout(ctx, natMSSTimeout)
	defer cancel()
	c, err := env.Dialer.DialContext(cctx, "tcp4", net.JoinHostPort(ip.String(), strconv.Itoa(d.Ports.From)))
	if err != nil {
		f["mss_error"] = err.Error()
		return f
	}
	defer c.Close()
	maxseg, ts, err := tcpMaxSeg(c)
	if err != nil {
		f["mss_error"] = err.Error()
		return f
	}
	hint, mss := mssHint(maxseg, ts)
	f["tcp_maxseg"] = maxseg
	f["tcp_timestamps"] = ts
	f["mss"] = mss
	f["mss_hint"] = hint
	f["mss_to"] = c.RemoteAddr().String()
	return f
}

func joinPorts(ps []uint16) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = strconv.Itoa(int(p))
	}
	return strings.Join(s, ",")
}
