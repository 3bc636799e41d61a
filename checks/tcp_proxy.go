package checks

import (
	"context"
	"net"
	"net/url"
	"slices"
	"strconv"

	"github.com/biztel-tools/biztel-doctor/content"
)

// explainProxy wraps a TCP check: when it fails and this PC has a proxy in
// its environment, the failure is explained by the proxy too. On networks
// where only a proxy gets out, the softphone's direct connections (8000,
// 15061, 15062, 20990) are exactly what fails; the page asks for no proxy on
// BIZTEL's path (■お客様ネットワークについて 7, NGFW/UTM case 5).
func explainProxy(run func(context.Context, *Input) Result) func(context.Context, *Input) Result {
	return func(ctx context.Context, in *Input) Result {
		r := run(ctx, in)
		if r.Status != Fail || in.Env == nil || in.Env.Getenv == nil {
			return r
		}
		proxy := tlsProxyFromEnv(in.Env.Getenv)
		if proxy == "" || !envProxyCarries(in.Env.Getenv, in.Targets) {
			return r
		}
		r.Summary = tcpJoinText(r.Summary, content.Phrase("check.tcp_proxy.explained", content.Vars{"proxy": proxy}))
		if r.Facts == nil {
			r.Facts = Facts{}
		}
		r.Facts["proxy_env"] = proxy
		if !slices.Contains(r.Remedies, rmRemoveProxy) {
			r.Remedies = append(r.Remedies, rmRemoveProxy)
		}
		return r
	}
}

// envProxyCarries reports whether an environment proxy would carry traffic
// to any of the targets: NO_PROXY may already send BIZTEL direct, and then
// the proxy explains nothing.
func envProxyCarries(getenv func(string) string, targets []Destination) bool {
	noProxy := noProxyOf(getenv)
	var urls []*url.URL
	for _, t := range targets {
		if t.Address != "" && t.Ports.From > 0 {
			urls = append(urls, &url.URL{Scheme: "https", Host: net.JoinHostPort(t.Address, strconv.Itoa(t.Ports.From))})
		}
	}
	for _, name := range proxyVars {
		v := getenv(name)
		if v == "" {
			continue
		}
		if len(urls) == 0 {
			return true
		}
		for _, u := range urls {
			if carries, _ := envProxyUse(v, noProxy, u); carries {
				return true
			}
		}
	}
	return false
}
