package checks

import (
	"context"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/http/httpproxy"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Proxy settings are local: the environment, files, and on Linux the
// gsettings binary.
const (
	// gsettingsTimeout bounds one gsettings call: it talks to dconf over
	// D-Bus and answers in milliseconds, or hangs when no session bus exists.
	gsettingsTimeout = time.Second
	// gsettingsBudget bounds all GNOME reads together (up to nine keys);
	// the call running when it passes may take gsettingsTimeout more.
	gsettingsBudget = 2 * time.Second
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

func runNetProxy(ctx context.Context, in *Input) Result {
	const id = "net.proxy"
	env := in.Env
	noProxy := env.Getenv("NO_PROXY")
	if noProxy == "" {
		noProxy = env.Getenv("no_proxy")
	}
	// what was looked at, so a pass carries its evidence
	facts := Facts{"variables_checked": strings.Join(proxyVars, ",")}
	if noProxy != "" {
		facts["no_proxy"] = noProxy
	}
	urls := serverURLs(in.Profile, in.Options)
	var applies, bypassed []string
	for _, name := range proxyVars {
		v := env.Getenv(name)
		if v == "" {
			continue
		}
		facts["env_"+name] = redactProxy(v)
		used := false
		for _, u := range urls {
			if proxyFor(v, noProxy, u) != nil {
				used = true
			} else if proxyFor(v, "", u) == nil {
				// Not NO_PROXY: the value itself is unreadable to Go's
				// parser, which drops it. Other clients may not, so it is
				// not taken as "no proxy".
				facts["env_"+name+"_unreadable"] = true
				used = true
			}
		}
		if used || len(urls) == 0 {
			applies = append(applies, name)
		} else {
			bypassed = append(bypassed, name)
		}
	}
	osProxies, oerr := env.Host.ProxySettings()
	if oerr != nil {
		facts["os_settings_error"] = oerr.Error()
	}
	if len(osProxies) == 0 && oerr == nil {
		facts["os_settings"] = "no proxy configured"
	}
	var osList []string
	for kind, v := range osProxies {
		facts["os_"+kind] = redactProxy(v)
		osList = append(osList, kind+"="+redactProxy(v))
	}
	sort.Strings(osList)
	sort.Strings(applies)
	if len(applies) > 0 || len(osList) > 0 {
		var found []string
		found = append(found, applies...)
		found = append(found, osList...)
		facts["proxies"] = strings.Join(found, ", ")
		return WarnResult(id, content.Tf("プロキシが設定されています（%s）。ページはソフトフォンの通信経路にプロキシを置かないよう求めています",
			"a proxy is configured (%s); the page asks for no proxy on the softphone's path", strings.Join(found, ", ")), "remove-proxy").withFacts(facts)
	}
	if len(bypassed) > 0 {
		facts["bypassed_by_no_proxy"] = strings.Join(bypassed, ",")
		return PassResult(id, content.Tf("プロキシ変数（%s）はありますが、NO_PROXY により BIZTEL サーバ宛ては直接通信です",
			"proxy variables (%s) are set, but NO_PROXY sends the BIZTEL server direct", strings.Join(bypassed, ", "))).withFacts(facts)
	}
	if oerr != nil {
		return PassResult(id, content.Tf("環境変数にプロキシはありません（OS のプロキシ設定は読み取れませんでした: %v）",
			"no proxy in the environment (the OS proxy settings could not be read: %v)", oerr)).withFacts(facts)
	}
	return PassResult(id, content.T("環境変数にも OS の設定にもプロキシはありません", "no proxy in the environment or the OS settings")).withFacts(facts)
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
