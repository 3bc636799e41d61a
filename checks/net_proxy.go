package checks

import (
	"context"
	"net"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/http/httpproxy"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/hostinfo"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Proxy settings are local: the environment, files, and on Linux the
// gsettings binary (hostinfo.ProxyReadBudget).
const (
	// netProxyTimeout covers the GNOME reads with room for the files.
	netProxyTimeout = 5 * time.Second
)

func init() {
	register(Spec{
		ID:       "net.proxy",
		Timeout:  netProxyTimeout,
		Remedies: []string{"remove-proxy"},
		Run:      runNetProxy,
	})
}

// proxyVars are the environment variables of HTTP clients, upper and lower
// case (curl and Go read both).
var proxyVars = []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"}

// serverURLs are what the softphone reaches over TCP: HTTPS/WSS on 8000 by
// address and by management name.
func serverURLs(p *profile.Profile, opt Options) []*url.URL {
	port := strconv.Itoa(opt.Ports.Web)
	var out []*url.URL
	for _, h := range []string{p.Server.Host, p.ServerAddr()} {
		if h == "" {
			continue
		}
		out = append(out, &url.URL{Scheme: "https", Host: net.JoinHostPort(h, port)})
	}
	return out
}

// noProxyOf is the NO_PROXY list (upper case first, as Go's net/http reads it).
func noProxyOf(getenv func(string) string) string {
	if v := getenv("NO_PROXY"); v != "" {
		return v
	}
	return getenv("no_proxy")
}

// envProxyUse says whether the environment proxy value v carries traffic
// to u under noProxy. A value Go's parser cannot read (unreadable) counts
// as carrying: other clients may read it, so it is not taken as "no proxy".
func envProxyUse(v, noProxy string, u *url.URL) (carries, unreadable bool) {
	if proxyFor(v, noProxy, u) != nil {
		return true, false
	}
	if proxyFor(v, "", u) == nil {
		return true, true
	}
	return false, false
}

// proxyFor reports the proxy that applies to u from value under noProxy
// (nil when NO_PROXY bypasses it). golang.org/x/net/http/httpproxy does the
// NO_PROXY matching (domains, suffixes, CIDRs, ports) as Go's net/http does.
func proxyFor(value, noProxy string, u *url.URL) *url.URL {
	cfg := &httpproxy.Config{HTTPProxy: value, HTTPSProxy: value, NoProxy: noProxy}
	p, err := cfg.ProxyFunc()(u)
	if err != nil || p == nil {
		return nil
	}
	return p
}

// proxyDest is one BIZTEL destination a proxy may or may not carry.
type proxyDest struct {
	host string
	port int
}

func proxyDests(urls []*url.URL) []proxyDest {
	var out []proxyDest
	for _, u := range urls {
		port, _ := strconv.Atoi(u.Port())
		out = append(out, proxyDest{host: u.Hostname(), port: port})
	}
	return out
}

// readOSProxies asks the host for its proxies with their exception lists
// when it can read them, and for the proxies alone otherwise.
func readOSProxies(h hostinfo.Host) (hostinfo.ProxyConfig, error) {
	if r, ok := h.(hostinfo.ProxyConfigReader); ok {
		return r.ProxyConfig()
	}
	m, err := h.ProxySettings()
	return hostinfo.ProxyConfig{Proxies: m}, err
}

// isAutoProxy says the OS proxy kind is a PAC file or WPAD: which proxy a
// destination gets is decided by JavaScript this check does not run.
func isAutoProxy(kind string) bool { return kind == "pac" || kind == "wpad" }

func runNetProxy(ctx context.Context, in *Input) Result {
	const id = "net.proxy"
	ev, facts := probeNetProxy(in)
	if len(ev.applies) > 0 || len(ev.os.used) > 0 {
		return phraseProxied(id, ev, facts)
	}
	return phraseNotProxied(id, ev, facts)
}

// proxyEvidence is what net.proxy read: the environment's and the OS's
// proxies and which of BIZTEL's destinations each still carries.
type proxyEvidence struct {
	urls     []*url.URL
	dests    []proxyDest
	through  map[string][]string // destination → the proxies it still goes through
	excepted map[string]bool     // destinations some exception list skipped
	applies  []string            // proxy variables that carry a destination
	bypassed []string            // proxy variables NO_PROXY skips for every destination
	osCfg    hostinfo.ProxyConfig
	osErr    error
	os       osProxyVerdict
}

// probeNetProxy reads the proxy variables and the OS settings (local only).
func probeNetProxy(in *Input) (proxyEvidence, Facts) {
	env := in.Env
	noProxy := noProxyOf(env.Getenv)
	// what was looked at, so a pass carries its evidence
	facts := Facts{"variables_checked": strings.Join(proxyVars, ",")}
	if noProxy != "" {
		facts["no_proxy"] = noProxy
	}
	ev := proxyEvidence{through: map[string][]string{}, excepted: map[string]bool{}}
	ev.urls = serverURLs(in.Profile, in.Options)
	ev.dests = proxyDests(ev.urls)
	ev.applies, ev.bypassed = envProxies(env.Getenv, noProxy, ev, facts)
	ev.osCfg, ev.osErr = readOSProxies(env.Host)
	if ev.osErr != nil {
		facts["os_settings_error"] = ev.osErr.Error()
	}
	if len(ev.osCfg.Proxies) == 0 && ev.osErr == nil {
		facts["os_settings"] = "no proxy configured"
	}
	ev.os = judgeOSProxies(ev.osCfg, ev.dests, facts, ev.through, ev.excepted)
	if len(ev.bypassed) > 0 {
		facts["bypassed_by_no_proxy"] = strings.Join(ev.bypassed, ",")
	}
	sort.Strings(ev.applies)
	return ev, facts
}

// envProxies sorts the proxy variables that are set into those that carry
// some BIZTEL destination (applies) and those NO_PROXY skips (bypassed),
// filling ev.through and ev.excepted.
func envProxies(getenv func(string) string, noProxy string, ev proxyEvidence, facts Facts) (applies, bypassed []string) {
	urls, through, excepted := ev.urls, ev.through, ev.excepted
	for _, name := range proxyVars {
		v := getenv(name)
		if v == "" {
			continue
		}
		facts["env_"+name] = redactProxy(v)
		used := false
		for _, u := range urls {
			carries, unreadable := envProxyUse(v, noProxy, u)
			if unreadable {
				facts["env_"+name+"_unreadable"] = true
			}
			if carries {
				used = true
				through[u.Hostname()] = append(through[u.Hostname()], name)
			} else {
				excepted[u.Hostname()] = true
			}
		}
		if used || len(urls) == 0 {
			applies = append(applies, name)
		} else {
			bypassed = append(bypassed, name)
		}
	}
	return applies, bypassed
}

// phraseProxied: some destination still goes through a proxy.
func phraseProxied(id string, ev proxyEvidence, facts Facts) Result {
	applies, osList, autoList, dests, through, excepted := ev.applies, ev.os.used, ev.os.auto, ev.dests, ev.through, ev.excepted
	var found []string
	found = append(found, applies...)
	found = append(found, osList...)
	found = append(found, autoList...)
	facts["proxies"] = strings.Join(found, ", ")
	var via, viaFacts, skipped []string
	for _, d := range dests {
		if ps := through[d.host]; len(ps) > 0 {
			via = append(via, d.host)
			viaFacts = append(viaFacts, d.host+" via "+strings.Join(ps, ","))
		} else if excepted[d.host] {
			skipped = append(skipped, d.host)
		}
	}
	if len(viaFacts) > 0 {
		facts["through_proxy"] = strings.Join(viaFacts, "; ")
	}
	if len(skipped) > 0 && len(via) > 0 {
		return WarnResult(id, content.Phrase("check.net_proxy.partly_direct", content.Vars{"proxies": strings.Join(found, ", "), "direct": strings.Join(skipped, ", "), "via": strings.Join(via, ", ")}), "remove-proxy").withFacts(facts)
	}
	return WarnResult(id, content.Phrase("check.net_proxy.proxied", content.Vars{"proxies": strings.Join(found, ", ")}), "remove-proxy").withFacts(facts)
}

// phraseNotProxied: no manual proxy carries BIZTEL; a PAC file may, an
// exception list may send it direct, or there is no proxy at all.
func phraseNotProxied(id string, ev proxyEvidence, facts Facts) Result {
	autoList, osBypassed, bypassed, urls, osCfg, oerr := ev.os.auto, ev.os.bypassed, ev.bypassed, ev.urls, ev.osCfg, ev.osErr
	if len(autoList) > 0 {
		facts["proxies"] = strings.Join(autoList, ", ")
		// the PAC's FindProxyForURL(url, host) sees these URLs
		targets := make([]string, 0, len(urls))
		for _, u := range urls {
			targets = append(targets, u.String())
		}
		t := strings.Join(targets, ", ")
		if t == "" {
			t = "BIZTEL"
		}
		return WarnResult(id, content.Phrase("check.net_proxy.auto_config", content.Vars{"proxies": strings.Join(autoList, ", "), "targets": t}), "remove-proxy").withFacts(facts)
	}
	if len(osBypassed) > 0 {
		names := append(append([]string{}, bypassed...), osBypassed...)
		var lists []string
		if len(bypassed) > 0 {
			lists = append(lists, "NO_PROXY")
		}
		for _, kind := range osBypassed {
			if src := osCfg.Bypass[kind].Source; !slices.Contains(lists, src) {
				lists = append(lists, src)
			}
		}
		return PassResult(id, content.Phrase("check.net_proxy.bypassed", content.Vars{"proxies": strings.Join(names, ", "), "lists": strings.Join(lists, ", ")})).withFacts(facts)
	}
	if len(bypassed) > 0 {
		return PassResult(id, content.Phrase("check.net_proxy.no_proxy_env", content.Vars{"variables": strings.Join(bypassed, ", ")})).withFacts(facts)
	}
	if oerr != nil {
		return PassResult(id, content.Phrase("check.net_proxy.os_unreadable", content.Vars{"error": oerr})).withFacts(facts)
	}
	return PassResult(id, content.Phrase("check.net_proxy.none", nil)).withFacts(facts)
}

// osProxyVerdict is what the OS proxies mean for BIZTEL's destinations.
type osProxyVerdict struct {
	used     []string // "kind=value": manual proxies a destination still goes through
	auto     []string // "kind=value": PAC/WPAD, decided by the PAC file
	bypassed []string // kinds whose exceptions cover every destination
}

// judgeOSProxies matches every destination against each manual OS proxy's
// exception list. It records the evidence in facts, the proxies each
// destination still goes through in through, and the destinations some
// list skipped in excepted.
func judgeOSProxies(cfg hostinfo.ProxyConfig, dests []proxyDest, facts Facts, through map[string][]string, excepted map[string]bool) osProxyVerdict {
	kinds := make([]string, 0, len(cfg.Proxies))
	for kind := range cfg.Proxies {
		kinds = append(kinds, kind)
	}
	sort.Strings(kinds)
	var v osProxyVerdict
	var matches []string
	for _, kind := range kinds {
		value := redactProxy(cfg.Proxies[kind])
		facts["os_"+kind] = value
		if isAutoProxy(kind) {
			v.auto = append(v.auto, kind+"="+value)
			continue
		}
		b, hasList := cfg.Bypass[kind]
		if hasList {
			facts["os_"+kind+"_exceptions"] = describeBypass(b)
		}
		used := len(dests) == 0
		for _, d := range dests {
			if hasList {
				if rule, ok := b.Match(d.host, d.port); ok {
					matches = append(matches, kind+": "+d.host+" ← "+rule+" ("+b.Source+")")
					excepted[d.host] = true
					continue
				}
			}
			used = true
			through[d.host] = append(through[d.host], "os "+kind)
		}
		if used {
			v.used = append(v.used, kind+"="+value)
		} else {
			v.bypassed = append(v.bypassed, kind)
		}
	}
	if len(matches) > 0 {
		facts["bypassed_by_os_exceptions"] = strings.Join(matches, "; ")
	}
	return v
}

// describeBypass is an exception list for the facts: its source and
// entries (host patterns; a list holds no credentials).
func describeBypass(b hostinfo.ProxyBypass) string {
	s := b.Source + ": " + strings.Join(b.Rules, ",")
	if b.Simple {
		s += " +ExcludeSimpleHostnames"
	}
	if b.Reversed {
		s += " (ReversedException: only these use the proxy)"
	}
	return s
}

// redactProxy removes credentials from a proxy URL before it goes into a
// report ("http://user:pass@proxy:8080" → "http://proxy:8080").
func redactProxy(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.User == nil {
		if at := strings.LastIndex(v, "@"); at >= 0 {
			return v[at+1:]
		}
		return v
	}
	u.User = nil
	return u.String()
}
