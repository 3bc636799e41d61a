package checks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/resolve"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// dnsCheckBudget: the direct queries (resolve.Attempts × resolve.QueryTimeout, all
// servers in parallel) and the OS resolver run side by side; one second of
// room for reading files.
const dnsCheckBudget = resolve.Attempts*resolve.QueryTimeout + time.Second

// osLookupTimeout bounds the OS resolver path like the direct queries (its
// own retries, e.g. glibc's 5 s × 2, would otherwise outlast the check).
const osLookupTimeout = resolve.Attempts * resolve.QueryTimeout

// vpnRuleReading labels the VPN rule: the page refers to its section 3 on
// name resolution, which our copy does not contain.
func vpnRuleReading() content.Text { return content.Phrase("check.dns_mgmt.vpn_rule", nil) }

// DNS findings (fact "finding"): four ways the name can fail to resolve
// right, plus the hosts-file and resolver-path cases.
const (
	dnsOK           = "ok"
	dnsHostsOK      = "hosts_ok"      // the hosts file gives the right address
	dnsHostsWrong   = "hosts_wrong"   // the hosts file gives another address
	dnsWrongAddress = "wrong_address" // DNS (or the OS resolver) answers another address
	dnsNXDomain     = "nxdomain"      // the name does not exist for these servers
	dnsServFail     = "servfail"      // the server failed (SERVFAIL or another error rcode)
	dnsNoData       = "nodata"        // the name exists but has no A record
	dnsTimeout      = "timeout"       // no DNS server answered
	dnsOSDiffers    = "os_differs"    // DNS servers are right, the OS resolver path is not
)

func init() {
	register(Spec{
		ID:       "dns.mgmt",
		Timeout:  dnsCheckBudget,
		Remedies: []string{"dns-mgmt-resolve", "vpn-dns-private"},
		Plan:     dnsPlan,
		Run:      runDNS,
	})
}

func dnsPlan(p *profile.Profile, opt Options) ([]Destination, content.Text) {
	if p.Server.Host == "" {
		return nil, content.Phrase("check.dns_mgmt.not_applicable", nil)
	}
	port := opt.Ports.DNS
	return []Destination{{Proto: "DNS", Transport: "udp", Address: p.Server.Host, Ports: content.PortRange{From: port, To: port},
		Purpose: content.Phrase("check.dns_mgmt.purpose", nil)}}, content.Text{}
}

// dnsEvidence is everything dns.mgmt saw.
type dnsEvidence struct {
	Expected netip.Addr // the profile's private (VPN) or public IP; invalid when not given
	VPN      bool
	Hosts    []netip.Addr
	Answers  []resolve.Answer
	OS       []netip.Addr
	OSErr    error
}

// judgeDNS names the finding. Pure: table-tested.
func judgeDNS(e dnsEvidence) string {
	has := func(as []netip.Addr) bool {
		if !e.Expected.IsValid() {
			return len(as) > 0
		}
		return slices.Contains(as, e.Expected)
	}
	if len(e.Hosts) > 0 {
		if has(e.Hosts) {
			return dnsHostsOK
		}
		return dnsHostsWrong
	}
	if has(e.OS) {
		return dnsOK
	}
	if len(e.OS) > 0 {
		return dnsWrongAddress
	}
	var right, wrong, nx, fail, nodata bool
	for _, a := range e.Answers {
		switch {
		case a.Rcode == dns.RcodeSuccess && has(a.Addrs):
			right = true
		case a.Rcode == dns.RcodeSuccess && len(a.Addrs) > 0:
			wrong = true
		case a.Rcode == dns.RcodeSuccess:
			nodata = true
		case a.Rcode == dns.RcodeNameError:
			nx = true
		case a.Rcode > 0:
			fail = true
		}
	}
	switch {
	case right:
		return dnsOSDiffers
	case wrong:
		return dnsWrongAddress
	case nx:
		return dnsNXDomain
	case fail:
		return dnsServFail
	case nodata:
		return dnsNoData
	}
	var de *net.DNSError
	if errors.As(e.OSErr, &de) && de.IsNotFound {
		return dnsNXDomain
	}
	return dnsTimeout
}

func runDNS(ctx context.Context, in *Input) Result {
	const id = "dns.mgmt"
	e, servers, facts := probeDNS(ctx, in)
	dnsAnswerFacts(e, servers, facts)
	finding := judgeDNS(e)
	facts["finding"] = finding
	facts["dns_answer"] = joinAddrs(answeredAddrs(e.Answers))
	if len(servers) == 0 && len(e.Hosts) == 0 && len(e.OS) == 0 && e.OSErr != nil {
		return ErrorResult(id, content.Phrase("check.dns_mgmt.no_servers", content.Vars{"error": e.OSErr})).withFacts(facts)
	}
	r := phraseDNS(id, in, e, finding, servers, facts)
	if e.VPN {
		r.Summary.Ja += " ※" + vpnRuleReading().Ja
		r.Summary.En += " Note: " + vpnRuleReading().En
	}
	return r.withFacts(facts)
}

// dnsExpected is the address the profile expects and the field it came
// from: server.vpn_ip with the VPN option, else server.ip (invalid when
// not given).
func dnsExpected(p *profile.Profile) (netip.Addr, string) {
	if p.VPN() {
		a, _ := netip.ParseAddr(p.Server.VPNIP)
		return a, "server.vpn_ip"
	}
	a, _ := netip.ParseAddr(p.Server.IP) // "" gives the invalid address
	return a, "server.ip"
}

// probeDNS gathers the evidence: the hosts file, the DNS servers asked
// directly and, at the same time, the OS resolver.
func probeDNS(ctx context.Context, in *Input) (dnsEvidence, []string, Facts) {
	p := in.Profile
	host := p.Server.Host
	e := dnsEvidence{VPN: p.VPN()}
	var expectedName string
	e.Expected, expectedName = dnsExpected(p)
	facts := Facts{"host": host}
	if e.Expected.IsValid() {
		facts["expected"] = e.Expected.String()
		facts["expected_from"] = expectedName
	}
	if e.VPN {
		facts["rule"] = vpnRuleReading().En
	}
	var err error
	e.Hosts, err = resolve.HostsEntries(in.Env.HostsFile, host)
	if err != nil {
		facts["hosts_file_error"] = err.Error()
	}
	facts["hosts_file"] = in.Env.HostsFile
	facts["hosts_entry"] = joinAddrs(e.Hosts)
	port := ""
	if len(in.Targets) > 0 && in.Targets[0].Ports.From != 53 {
		port = strconv.Itoa(in.Targets[0].Ports.From)
	}
	servers, serr := dnsServers(in.Env, port)
	if serr != nil {
		facts["resolv_conf_error"] = serr.Error()
	}
	osDone := make(chan struct{})
	go func() {
		defer close(osDone)
		octx, cancel := context.WithTimeout(ctx, osLookupTimeout)
		defer cancel()
		e.OS, e.OSErr = resolve.OSLookup(octx, in.Env.Resolver, host)
	}()
	e.Answers = resolve.Query(ctx, servers, host)
	<-osDone
	return e, servers, facts
}

// dnsAnswerFacts records each server's answer ("…@server") and the OS
// resolver's.
func dnsAnswerFacts(e dnsEvidence, servers []string, facts Facts) {
	var answeredBy []string
	for _, a := range e.Answers {
		k := "@" + a.Server
		if a.Rcode < 0 {
			facts["error"+k] = fmt.Sprint(a.Err)
			continue
		}
		answeredBy = append(answeredBy, a.Server)
		facts["rcode"+k] = dns.RcodeToString[a.Rcode]
		facts["answer"+k] = joinAddrs(a.Addrs)
		if len(a.Addrs) > 0 {
			facts["ttl_s"+k] = int(a.TTL)
		}
		facts["rtt_ms"+k] = ms(a.RTT)
	}
	facts["dns_servers"] = strings.Join(servers, ",")
	facts["answered_by"] = strings.Join(answeredBy, ",")
	facts["os_resolver"] = joinAddrs(e.OS)
	if e.OSErr != nil {
		facts["os_resolver_error"] = e.OSErr.Error()
	}
}

// phraseDNS says the finding in both languages with its remedies.
func phraseDNS(id string, in *Input, e dnsEvidence, finding string, servers []string, facts Facts) Result {
	w := dnsWords{host: in.Profile.Server.Host, dns: answeredAddrs(e.Answers), exp: "?"}
	_, w.field = dnsExpected(in.Profile)
	if e.Expected.IsValid() {
		w.exp = e.Expected.String()
	}
	switch finding {
	case dnsHostsOK, dnsOK:
		return phraseDNSPass(id, e, finding, w, facts)
	}
	rem := []string{"dns-mgmt-resolve"}
	if e.VPN {
		rem = []string{"vpn-dns-private", "dns-mgmt-resolve"}
	}
	switch finding {
	case dnsHostsWrong:
		return FailResult(id, content.Phrase("check.dns_mgmt.hosts_wrong", content.Vars{"file": in.Env.HostsFile, "host": w.host, "hosts": joinAddrs(e.Hosts), "expected": w.exp}), rem...)
	case dnsWrongAddress:
		got := joinAddrs(e.OS)
		if got == "" {
			got = joinAddrs(w.dns)
		}
		facts["got"] = got
		return FailResult(id, content.Phrase("check.dns_mgmt.wrong_address", content.Vars{"host": w.host, "got": got, "expected": w.exp, "field": w.field}), rem...)
	case dnsOSDiffers:
		return FailResult(id, content.Phrase("check.dns_mgmt.os_differs", content.Vars{"host": w.host, "expected": w.exp, "os": quotedEn(osSaid(e))}), rem...)
	case dnsNXDomain:
		return FailResult(id, content.Phrase("check.dns_mgmt.nxdomain", content.Vars{"host": w.host}), rem...)
	case dnsServFail:
		return FailResult(id, content.Phrase("check.dns_mgmt.servfail", content.Vars{"host": w.host}), "dns-mgmt-resolve")
	case dnsNoData:
		return FailResult(id, content.Phrase("check.dns_mgmt.nodata", content.Vars{"host": w.host}), rem...)
	}
	if err := noRouteToAll(e.Answers); err != nil {
		if nr, ok := noRouteResult(id, "DNS "+strings.Join(servers, ", "), err); ok {
			return nr
		}
	}
	// silence and undecodable answers alike (the per-server error is in the facts)
	return FailResult(id, content.Phrase("check.dns_mgmt.no_answer", content.Vars{"servers": strings.Join(servers, ", ")}), "dns-mgmt-resolve")
}

// dnsWords are the names and addresses the DNS summaries quote.
type dnsWords struct {
	host       string       // server.host
	dns        []netip.Addr // what the DNS servers asked directly answered
	exp, field string       // the expected address ("?" without one) and its profile field
}

// phraseDNSPass: the name resolves right (through the hosts file or the OS
// resolver); the summary says where the DNS servers disagree.
func phraseDNSPass(id string, e dnsEvidence, finding string, w dnsWords, facts Facts) Result {
	if finding == dnsHostsOK {
		differs := len(w.dns) > 0 && !slices.Contains(w.dns, e.Expected) || len(w.dns) == 0
		facts["dns_differs"] = differs
		if differs {
			return PassResult(id, content.Phrase("check.dns_mgmt.hosts_ok_dns_differs", content.Vars{"host": w.host, "expected": w.exp, "dns": quotedEn(joinAddrs(w.dns))}))
		}
		return PassResult(id, content.Phrase("check.dns_mgmt.hosts_ok", content.Vars{"host": w.host, "expected": w.exp}))
	}
	got := joinAddrs(e.OS)
	if !e.Expected.IsValid() {
		return PassResult(id, content.Phrase("check.dns_mgmt.ok_unchecked", content.Vars{"host": w.host, "got": got}))
	}
	differs := len(e.Answers) > 0 && !slices.Contains(w.dns, e.Expected)
	facts["dns_differs"] = differs
	if differs {
		return PassResult(id, content.Phrase("check.dns_mgmt.ok_dns_differs", content.Vars{"host": w.host, "got": got, "dns": quotedEn(joinAddrs(w.dns))}))
	}
	return PassResult(id, content.Phrase("check.dns_mgmt.ok", content.Vars{"host": w.host, "got": got}))
}

// quotedEn fills a placeholder with s as it is in Japanese (the phrase
// puts it in 「」) and Go-quoted in English.
func quotedEn(s string) content.Text { return content.Text{Ja: s, En: strconv.Quote(s)} }

// noRouteToAll returns the first error when no DNS server could be reached
// because this host has no route to any of them; nil otherwise.
func noRouteToAll(answers []resolve.Answer) error {
	if len(answers) == 0 {
		return nil
	}
	for _, a := range answers {
		if a.Rcode >= 0 || !classifyNet(a.Err).Unreachable() {
			return nil
		}
	}
	return answers[0].Err
}

func osSaid(e dnsEvidence) string {
	if len(e.OS) > 0 {
		return joinAddrs(e.OS)
	}
	if e.OSErr != nil {
		return e.OSErr.Error()
	}
	return "-"
}

func answeredAddrs(as []resolve.Answer) []netip.Addr {
	var out []netip.Addr
	for _, a := range as {
		for _, ip := range a.Addrs {
			if !slices.Contains(out, ip) {
				out = append(out, ip)
			}
		}
	}
	return out
}

// dnsServers are the servers to query: Env.DNSServers, else resolv.conf's.
func dnsServers(env *Env, port string) ([]string, error) {
	if len(env.DNSServers) > 0 {
		return env.DNSServers, nil
	}
	cfg, err := dns.ClientConfigFromFile(env.ResolvConf)
	if err != nil {
		return nil, err
	}
	if port == "" {
		port = cfg.Port
	}
	var out []string
	for _, s := range cfg.Servers {
		out = append(out, net.JoinHostPort(s, port))
		if len(out) == resolve.MaxServers {
			break
		}
	}
	if len(out) == 0 {
		return nil, errors.New(env.ResolvConf + ": no nameserver lines")
	}
	return out, nil
}

// joinAddrs lists addresses for a fact or a summary, comma-separated.
func joinAddrs(as []netip.Addr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return strings.Join(s, ",")
}
