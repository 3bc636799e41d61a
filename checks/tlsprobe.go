package checks

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/tcp"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Remedy ids of the TLS judgement.
const (
	rmTLSInspection = "disable-tls-inspection"
	rmRemoveProxy   = "remove-proxy"
	rmTLSHostname   = "tls-verify-hostname"
)

// tlsTarget is what a server certificate is judged against.
type tlsTarget struct {
	Name       string   // management hostname, or the address without one
	NameIsAddr bool     // no hostname was given: Name is the IP
	Pins       [][]byte // SPKI SHA-256 pins from the profile; nil: none
}

// serverTLSTarget is the BIZTEL server's target: its management hostname
// (or its address) and the configured pins.
func serverTLSTarget(p *profile.Profile) tlsTarget {
	t := tlsTarget{Name: p.TLSName(), NameIsAddr: p.Server.Host == ""}
	for _, pin := range p.TLS.PinSHA256 {
		if b, ok := profile.DecodePin(pin); ok {
			t.Pins = append(t.Pins, b)
		}
	}
	return t
}

// tlsReport is what the handshake showed about the certificate and session.
type tlsReport struct {
	Version, Cipher string
	Subject, Issuer string
	SANs            []string
	NotAfter        time.Time
	ChainOK         bool   // chain verifies against Env.RootCAs (system roots when nil), ignoring the name
	NameOK          bool   // the leaf names the target
	VerifyErr       string // why the chain does not verify; "" when it does
	Inspection      *content.InspectionProduct
	InspectionBy    string // the issuer field that matched
	PinSet          bool   // pins were configured
	PinOK           bool   // some certificate of the chain matches a pin
	Proxy           string // proxy configured in the environment, "NAME=host:port"; "" none
	target          tlsTarget
}

// handshakeTLS runs a TLS client handshake on conn and judges the
// certificate. On failure the probe says where and how it stopped.
func handshakeTLS(ctx context.Context, conn net.Conn, in *Input, target tlsTarget, probe *tcp.Attempt) (*tls.Conn, *tlsReport) {
	env := in.Env
	cfg := &tls.Config{
		ServerName: target.Name,
		// The chain is verified below, by hand, so that an unverifiable
		// certificate is still seen and reported (issuer, inspection product).
		InsecureSkipVerify: true,
		RootCAs:            env.RootCAs,
	}
	if target.NameIsAddr {
		cfg.ServerName = "" // no SNI for an address
	}
	tc := tcp.HandshakeTLS(ctx, conn, cfg, probe)
	if tc == nil {
		return nil, nil
	}
	cs := tc.ConnectionState()
	rep := judgeCertificate(cs, in, target, env.Now())
	return tc, rep
}

// judgeCertificate verifies the chain and the name, and looks for signs of
// interception: an inspection product's issuer or a pin mismatch.
func judgeCertificate(cs tls.ConnectionState, in *Input, target tlsTarget, now time.Time) *tlsReport {
	rep := &tlsReport{
		Version: tls.VersionName(cs.Version),
		Cipher:  tls.CipherSuiteName(cs.CipherSuite),
		PinSet:  len(target.Pins) > 0,
		Proxy:   tlsProxyFromEnv(in.Env.Getenv),
		target:  target,
	}
	certs := cs.PeerCertificates
	if len(certs) == 0 {
		rep.VerifyErr = "no certificate"
		return rep
	}
	leaf := certs[0]
	rep.Subject, rep.Issuer = leaf.Subject.String(), leaf.Issuer.String()
	rep.SANs = append(rep.SANs, leaf.DNSNames...)
	for _, ip := range leaf.IPAddresses {
		rep.SANs = append(rep.SANs, ip.String())
	}
	rep.NotAfter = leaf.NotAfter
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: in.Env.RootCAs, Intermediates: inter, CurrentTime: now}); err != nil {
		rep.VerifyErr = tcp.ShortErr(err)
	} else {
		rep.ChainOK = true
	}
	rep.NameOK = leaf.VerifyHostname(target.Name) == nil
	for _, c := range certs {
		if rep.Inspection == nil && in.Content != nil {
			rep.Inspection, rep.InspectionBy = matchInspection(in.Content.Inspection, c.Issuer)
		}
		sum := sha256.Sum256(c.RawSubjectPublicKeyInfo)
		for _, pin := range target.Pins {
			if bytes.Equal(pin, sum[:]) {
				rep.PinOK = true
			}
		}
	}
	return rep
}

// matchInspection finds a product whose match string occurs in the issuer's
// O, OU or CN (case-insensitive).
func matchInspection(products []content.InspectionProduct, issuer pkix.Name) (*content.InspectionProduct, string) {
	fields := append(append([]string{issuer.CommonName}, issuer.Organization...), issuer.OrganizationalUnit...)
	for i := range products {
		for _, m := range products[i].Match {
			if m == "" {
				continue
			}
			for _, f := range fields {
				if strings.Contains(strings.ToLower(f), strings.ToLower(m)) {
					return &products[i], f
				}
			}
		}
	}
	return nil, ""
}

// tlsProxyFromEnv names a proxy set in the environment, without credentials.
func tlsProxyFromEnv(getenv func(string) string) string {
	if getenv == nil {
		return ""
	}
	for _, name := range []string{"HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy"} {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			continue
		}
		if u, err := url.Parse(v); err == nil && u.Host != "" {
			v = u.Host // drops user:password@
		} else if at := strings.LastIndex(v, "@"); at >= 0 {
			v = v[at+1:]
		}
		return name + "=" + v
	}
	return ""
}

// addFacts writes the certificate and session facts.
func (r *tlsReport) addFacts(f Facts) {
	f["tls_version"] = r.Version
	f["tls_cipher"] = r.Cipher
	f["cert_subject"] = r.Subject
	f["cert_issuer"] = r.Issuer
	f["cert_sans"] = strings.Join(r.SANs, ", ")
	if !r.NotAfter.IsZero() {
		f["cert_not_after"] = r.NotAfter.UTC().Format(time.RFC3339)
	}
	f["cert_verify_name"] = r.target.Name
	f["cert_chain_verified"] = r.ChainOK
	f["cert_names_target"] = r.NameOK
	if r.VerifyErr != "" {
		f["cert_verify_error"] = r.VerifyErr
	}
	if r.Inspection != nil {
		f["tls_inspection_product"] = r.Inspection.Name
		f["tls_inspection_issuer"] = r.InspectionBy
	}
	if r.PinSet {
		f["cert_pin_match"] = r.PinOK
	}
	if r.Proxy != "" {
		f["proxy_env"] = r.Proxy
	}
}

// judge turns the report into a status: fail for interception (inspection
// product, pin mismatch), warn for an unverifiable chain or a certificate
// that does not name the target, pass otherwise. what names the
// destination for the summary.
func (r *tlsReport) judge(what string) (Status, content.Text, []string) {
	mismatch := r.Inspection != nil || (r.PinSet && !r.PinOK) || (!r.PinOK && (!r.ChainOK || !r.NameOK))
	var proxy content.Text // empty unless a proxy is likely the cause
	var extra []string
	if mismatch && r.Proxy != "" {
		proxy = content.Phrase("check.tlsprobe.proxy_note", content.Vars{"proxy": r.Proxy})
		extra = append(extra, rmRemoveProxy)
	}
	switch {
	case r.Inspection != nil:
		rem := r.Inspection.Remedy
		if rem != rmRemoveProxy { // the content may name either; nothing else fits an intercepted session
			rem = rmTLSInspection
		}
		return Fail, content.Phrase("check.tlsprobe.inspected", content.Vars{"what": what, "issuer": r.Issuer,
			"product": r.Inspection.Name, "proxy_note": proxy}), append([]string{rem}, extra...)
	case r.PinSet && !r.PinOK:
		return Fail, content.Phrase("check.tlsprobe.pin_mismatch", content.Vars{"what": what, "issuer": r.Issuer, "proxy_note": proxy}),
			append([]string{rmTLSInspection}, extra...)
	case r.PinOK:
		return Pass, content.Phrase("check.tlsprobe.pinned", content.Vars{"what": what, "version": r.Version}), nil
	case !r.ChainOK:
		return Warn, content.Phrase("check.tlsprobe.chain_unverified", content.Vars{"what": what, "issuer": r.Issuer, "proxy_note": proxy}),
			append([]string{rmTLSInspection}, extra...)
	case !r.NameOK && r.target.NameIsAddr:
		return Warn, content.Phrase("check.tlsprobe.name_is_addr", content.Vars{"what": what, "name": r.target.Name, "sans": strings.Join(r.SANs, ", ")}), []string{rmTLSHostname}
	case !r.NameOK:
		return Warn, content.Phrase("check.tlsprobe.name_mismatch", content.Vars{"what": what, "name": r.target.Name,
			"sans": strings.Join(r.SANs, ", "), "proxy_note": proxy}), append([]string{rmTLSInspection}, extra...)
	}
	return Pass, content.Phrase("check.tlsprobe.verified", content.Vars{"what": what, "version": r.Version, "issuer": r.Issuer}), nil
}

// dialTLS connects to addr and runs the TLS handshake. When it returns no
// connection, probe says where and how it stopped.
func dialTLS(ctx context.Context, in *Input, addr string, target tlsTarget) (*tls.Conn, *tlsReport, tcp.Attempt) {
	conn, probe := tcp.Dial(ctx, in.Env.Dialer, addr)
	if !probe.OK() {
		return nil, nil, probe
	}
	tc, rep := handshakeTLS(ctx, conn, in, target, &probe)
	if tc == nil {
		_ = conn.Close()
		return nil, nil, probe
	}
	return tc, rep, probe
}

// tlsFailResult is the fail result of an intercepted TLS session.
func tlsFailResult(id string, summary content.Text, remedies []string, probe tcp.Attempt, rep *tlsReport) Result {
	r := FailResult(id, summary, remedies...)
	tcpFacts(probe, r.Facts, "")
	rep.addFacts(r.Facts)
	return r
}

// serverConnRemedies are the remedies for a failed exchange with the BIZTEL
// server on a port whose return traffic the page lists (WAN→LAN) when
// returnRule is set: a stateless filter that drops the SYN-ACK looks like a
// filtered port from here.
func serverConnRemedies(p tcp.Attempt, allow string, returnRule bool) []string {
	switch {
	case p.Class == tcp.Resolve:
		return []string{"dns-mgmt-resolve"}
	case p.Class == tcp.Filtered && returnRule:
		return []string{allow, "allow-return-traffic"}
	case p.Class == tcp.Reset && p.Stage == "tls":
		return []string{allow, rmTLSInspection}
	}
	return []string{allow}
}

// tcpJoinText joins two summaries with a space.
func tcpJoinText(a, b content.Text) content.Text {
	return content.T(strings.TrimSpace(a.Ja+" "+b.Ja), strings.TrimSpace(a.En+" "+b.En))
}
