package checks

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/hostinfo"
	"github.com/biztel-tools/biztel-doctor/probe/stun"
	"github.com/biztel-tools/biztel-doctor/probe/tcp"
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
			d.Purpose = content.Phrase("check.nat_mapping.stun_purpose", nil)
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, content.Phrase("check.nat_mapping.no_stun_server", nil)
	}
	if addr := p.ServerAddr(); addr != "" {
		port := opt.Ports.Web
		out = append(out, Destination{Proto: "TCP", Transport: "tcp", Address: addr, Ports: content.PortRange{From: port, To: port},
			Purpose: content.Phrase("check.nat_mapping.mss_purpose", nil)})
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
	samples, facts := probeNATMapping(ctx, in)
	m := judgeNATMapping(samples, facts)
	if len(samples) == 0 {
		return ErrorResult(id, content.Phrase("check.nat_mapping.no_samples", nil)).withFacts(facts)
	}
	return phraseNATMapping(id, m, facts)
}

// probeNATMapping collects mapping samples: stun.3478's bindings plus
// natExtraSockets more sockets to the servers that answered, and, at the
// same time, the TCP MSS toward each TCP target.
func probeNATMapping(ctx context.Context, in *Input) ([]natSample, Facts) {
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

	linkFacts(env.Host, facts)
	return samples, facts
}

// linkFacts records the default route's interface and whether it is a
// tunnel (a VPN changes what the NAT signs mean).
func linkFacts(h hostinfo.Host, facts Facts) {
	if iface, _, err := h.DefaultRoute(); routeFacts(Facts{}, false, err) == nil && iface != "" {
		if kind, details, err := h.LinkKind(iface); err == nil {
			facts["default_iface"] = iface
			facts["tunnel_iface"] = kind == "vpn"
			if t := details["tunnel"]; t != "" {
				facts["tunnel_type"] = t
			}
		}
	}
}

// natJudgement is what the samples and the host say about the NAT.
type natJudgement struct {
	mapping   mappingSummary
	mape      mapeSign
	local     netip.Addr // the host's own address (a STUN server never shows 100.64.0.0/10)
	hostCGNAT bool
	mssTunnel bool // the MSS hints at an IPv4-over-IPv6 tunnel
	mss       any  // the MSS fact, for the summary
}

// judgeNATMapping classifies the mapping and looks for the signs of CGNAT,
// MAP-E and tunnels, recording each as facts.
func judgeNATMapping(samples []natSample, facts Facts) natJudgement {
	var j natJudgement
	j.mapping = classifyMapping(samples)
	mapping := j.mapping
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
	j.local, j.hostCGNAT = local, hostCGNAT
	if local.IsValid() {
		facts["host_addr"] = local.String()
	}
	facts["host_addr_in_cgnat_space"] = hostCGNAT

	if mapping.NAT && mapping.NotPreserving > 0 {
		j.mape = mapeSigns(mapping.MappedPorts)
		mape := j.mape
		facts["mape_shared_bits"] = mape.Bits
		facts["mape_port_samples"] = mape.Samples
		if mape.Seen {
			facts["mape_psid_guess"] = mape.PSID
			facts["mape_chance"] = mape.Chance
		}
	}
	facts["mape_port_set_signs"] = j.mape.Seen

	hint, _ := facts["mss_hint"].(string)
	j.mssTunnel, j.mss = hint == mssHintTunnel, facts["mss"]
	return j
}

// phraseNATMapping: every sign is a warning with its remedy; without one,
// the mapping itself is the pass summary.
func phraseNATMapping(id string, j natJudgement, facts Facts) Result {
	warnings, remedies := natWarnings(j)
	if len(warnings) > 0 {
		sep := content.Phrase("check.nat_mapping.warning_sep", nil)
		ja, en := make([]string, len(warnings)), make([]string, len(warnings))
		for i, w := range warnings {
			ja[i], en[i] = w.Ja, w.En
		}
		return WarnResult(id, content.T(strings.Join(ja, sep.Ja), strings.Join(en, sep.En)), remedies...).withFacts(facts)
	}
	mapping, local := j.mapping, j.local
	switch mapping.Behaviour {
	case mappingNoNAT:
		return PassResult(id, content.Phrase("check.nat_mapping.no_nat", content.Vars{"local": local})).withFacts(facts)
	case mappingIndependent:
		return PassResult(id, content.Phrase("check.nat_mapping.independent",
			content.Vars{"public": strings.Join(mapping.PublicIPs, ", "), "kept": mapping.Preserved, "sockets": mapping.Sockets})).withFacts(facts)
	}
	return PassResult(id, content.Phrase("check.nat_mapping.undecided", content.Vars{"behaviour": mapping.Behaviour})).withFacts(facts)
}

// natWarnings phrases each sign found, with its remedies (each once).
func natWarnings(j natJudgement) ([]content.Text, []string) {
	mapping, mape, local, hostCGNAT := j.mapping, j.mape, j.local, j.hostCGNAT
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
		warnings = append(warnings, content.Phrase("check.nat_mapping.cgnat_space", content.Vars{"local": local}))
		addRemedy("avoid-cgnat")
	}
	if mape.Seen {
		warnings = append(warnings, content.Phrase("check.nat_mapping.mape",
			content.Vars{"ports": joinPorts(mapping.MappedPorts), "bits": mape.Bits, "chance": fmt.Sprintf("%.2g", mape.Chance)}))
		addRemedy("ipoe-fixed-ip")
		addRemedy("home-router-ports")
	}
	if j.mssTunnel {
		warnings = append(warnings, content.Phrase("check.nat_mapping.mss_tunnel", content.Vars{"mss": j.mss}))
		addRemedy("ipoe-fixed-ip")
	}
	if mapping.Behaviour == mappingDependent {
		warnings = append(warnings, content.Phrase("check.nat_mapping.dependent", content.Vars{"sockets": mapping.Dependent}))
		addRemedy("home-router-ports")
	}
	return warnings, remedies
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
	maxseg, ts, err := tcp.MaxSeg(c)
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
