package profile

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/internal/lazyregexp"
)

// placeholderRE matches values copied from the page's examples
// (XXX.XXX.XXX.XXX, sXXXXXXXXXXXX.u.biztel.jp, ***.***.***.***/**, YYY…, ZZZ…).
var placeholderRE = lazyregexp.New(`(?i)(xxx|yyy|zzz|\*\*)`)

// hostnameRE is a DNS name (letters, digits, hyphens, dots).
var hostnameRE = lazyregexp.New(`^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$`)

// where the customer finds each real value
const (
	docGuide = "「ご利用案内」"
	docIntro = "「サービスご紹介資料」"
)

// Validate checks every field and returns the first problem as *Error.
func (p *Profile) Validate() error {
	for _, v := range p.validators() {
		if err := v(); err != nil {
			return err
		}
	}
	return nil
}

func (p *Profile) validators() []func() *Error {
	return []func() *Error{
		func() *Error {
			if p.Server.Host == "" && p.Server.IP == "" {
				return fieldErr("server", "server.host か server.ip のどちらかが必要です（%sに記載）", "server.host or server.ip is required (see %s, the contract papers)", docGuide)
			}
			return nil
		},
		func() *Error { return checkHost("server.host", p.Server.Host, docGuide) },
		func() *Error { return checkIPv4("server.ip", p.Server.IP, docGuide) },
		func() *Error { return checkIPv4("server.vpn_ip", p.Server.VPNIP, docGuide) },
		p.checkSTUN,
		func() *Error { return checkEndpoint("recording", p.Recording) },
		func() *Error { return checkEndpoint("uniconnect", p.UniConnect) },
		func() *Error { return checkHostPort("ntp", p.NTP, "", false) },
		func() *Error { return checkHostPort("reflector.addr", p.Reflector.Addr, "", false) },
		func() *Error {
			if p.Vendor != "" && !slices.Contains(Vendors, p.Vendor) {
				return fieldErr("vendor", "%q は未対応です。次のいずれか: %s", "%q is not known; use one of: %s", p.Vendor, strings.Join(Vendors, ", "))
			}
			return nil
		},
		func() *Error {
			if p.Channels < 0 || p.Channels > MaxChannels {
				return fieldErr("channels", "%d: 同時通話数は 1〜%d で指定してください", "%d: concurrent calls must be 1-%d", p.Channels, MaxChannels)
			}
			return nil
		},
		p.checkPins,
	}
}

func (p *Profile) checkSTUN() *Error {
	for i, s := range p.STUN.Servers {
		field := fmt.Sprintf("stun.servers[%d]", i)
		if err := checkHostPort(field, s, docIntro, true); err != nil {
			return err
		}
	}
	if c := p.STUN.CIDR; c != "" {
		if placeholderRE().MatchString(c) {
			return placeholder("stun.cidr", c, docIntro)
		}
		pfx, err := netip.ParsePrefix(c)
		if err != nil || !pfx.Addr().Is4() {
			return fieldErr("stun.cidr", "%q は IPv4 の CIDR（例 198.51.100.0/28）ではありません", "%q is not an IPv4 CIDR (e.g. 198.51.100.0/28)", c)
		}
	}
	return nil
}

func (p *Profile) checkPins() *Error {
	for i, pin := range p.TLS.PinSHA256 {
		if _, ok := DecodePin(pin); !ok {
			return fieldErr(fmt.Sprintf("tls.pin_sha256[%d]", i), "%q は SHA-256 の値（base64 か 16 進 64 桁）ではありません", "%q is not a SHA-256 value (base64, or 64 hex digits)", pin)
		}
	}
	return nil
}

// DecodePin decodes a base64 or hex SHA-256 pin.
func DecodePin(pin string) ([]byte, bool) {
	pin = strings.TrimPrefix(strings.TrimSpace(pin), "sha256/")
	if b, err := hex.DecodeString(strings.ReplaceAll(pin, ":", "")); err == nil && len(b) == 32 {
		return b, true
	}
	if b, err := base64.StdEncoding.DecodeString(pin); err == nil && len(b) == 32 {
		return b, true
	}
	return nil, false
}

func placeholder(field, value, doc string) *Error {
	en := map[string]string{docGuide: docGuide + " (the contract papers)", docIntro: docIntro + " (the service brochure)"}[doc]
	return &Error{Field: field, Message: content.Text{
		Ja: fmt.Sprintf("%q は資料の記入例のままです。実際の値は%sをご確認ください", value, doc),
		En: fmt.Sprintf("%q is the page's example placeholder; the real value is in %s", value, en),
	}}
}

func checkHost(field, v, doc string) *Error {
	if v == "" {
		return nil
	}
	if placeholderRE().MatchString(v) {
		return placeholder(field, v, doc)
	}
	if looksLikeIP(v) {
		return fieldErr(field, "%q は IPv4 アドレスとして正しくありません（例 203.0.113.10）", "%q is not a valid IPv4 address (e.g. 203.0.113.10)", v)
	}
	if !hostnameRE().MatchString(v) {
		return fieldErr(field, "%q はホスト名として正しくありません（例 s0123456789ab.u.biztel.jp）", "%q is not a valid host name (e.g. s0123456789ab.u.biztel.jp)", v)
	}
	return nil
}

func checkIPv4(field, v, doc string) *Error {
	if v == "" {
		return nil
	}
	if placeholderRE().MatchString(v) {
		return placeholder(field, v, doc)
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return fieldErr(field, "%q は IP アドレスではありません（例 203.0.113.10）", "%q is not an IP address (e.g. 203.0.113.10)", v)
	}
	if !a.Is4() {
		return fieldErr(field, "%q は IPv6 です。BIZTEL は IPv4 が必要で IPv6 には対応していません", "%q is IPv6; BIZTEL needs IPv4 and does not support IPv6", v)
	}
	// 0.0.0.0 reaches this machine itself and would make checks pass
	// against local services; broadcast and multicast are no server.
	if a.IsUnspecified() || a.IsMulticast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return fieldErr(field, "%q はサーバのアドレスではありません（0.0.0.0・ブロードキャスト・マルチキャストは使えません）。「ご利用案内」の値を指定してください",
			"%q is not a server address (0.0.0.0, broadcast and multicast cannot be); give the value from the contract papers", v)
	}
	return nil
}

func checkEndpoint(field string, e Endpoint) *Error {
	if err := checkHost(field+".host", e.Host, docGuide); err != nil {
		return err
	}
	return checkIPv4(field+".ip", e.IP, docGuide)
}

// checkHostPort validates HOST, IP, HOST:PORT or IP:PORT. For STUN entries the
// port, when given, must be one of the page's 3478 and 3479.
func checkHostPort(field, v, doc string, stun bool) *Error {
	if v == "" {
		return nil
	}
	if placeholderRE().MatchString(v) {
		if doc == "" {
			doc = docGuide
		}
		return placeholder(field, v, doc)
	}
	if strings.Contains(v, "/") { // copied from the page's 210.235.12.2/32 or a STUN range
		if stun {
			return fieldErr(field, "%q は範囲です。ここには個々のアドレスを書き、範囲は stun.cidr に書いてください", "%q is a range; list single addresses here and put ranges in stun.cidr", v)
		}
		return fieldErr(field, "%q: /32 などのプレフィックスを付けずにアドレスだけを書いてください（例 210.235.12.2）", "%q: write the address without a /prefix (e.g. 210.235.12.2)", v)
	}
	h, port, err := splitHostPort(v)
	hasPort := strings.Contains(v, ":") && !isBareIPv6(v)
	if err != nil || (hasPort && (port < 1 || port > 65535)) {
		return fieldErr(field, "%q のポートが正しくありません（1〜65535）", "%q has a bad port (expected 1-65535)", v)
	}
	if stun && port != 0 && port != 3478 && port != 3479 {
		return fieldErr(field, "%q: STUN のポートは 3478 か 3479 です（省略すると両方を確認します）", "%q: STUN ports are 3478 and 3479 (leave the port out to probe both)", v)
	}
	if a, err := netip.ParseAddr(h); err == nil {
		if !a.Is4() {
			return fieldErr(field, "%q は IPv6 です。BIZTEL は IPv4 が必要です", "%q is IPv6; BIZTEL needs IPv4", v)
		}
		return nil
	}
	if !hostnameRE().MatchString(h) || looksLikeIP(h) {
		return fieldErr(field, "%q はホスト名でも IPv4 アドレスでもありません", "%q is neither a host name nor an IPv4 address", v)
	}
	return nil
}

func isBareIPv6(v string) bool {
	_, err := netip.ParseAddr(v)
	return err == nil && strings.Contains(v, ":")
}

// looksLikeIP catches "300.1.2.3" and "1.2.3" which the host pattern accepts.
var ipishRE = lazyregexp.New(`^[0-9.]+$`)

func looksLikeIP(h string) bool { return ipishRE().MatchString(h) }
