package upnp

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// Fetching a gateway's description and asking its WAN address. A router on
// the LAN answers HTTP within milliseconds; real descriptions are a few KiB.
const (
	FetchTimeout  = time.Second // per HTTP request (description, SOAP)
	upnpDescLimit = 64 << 10    // larger descriptions are refused, not read
	upnpSOAPLimit = 16 << 10    // a GetExternalIPAddress answer is a few hundred bytes
)

// Gateway is what an internet gateway told about itself. Empty strings:
// not told.
type Gateway struct {
	Responder    netip.Addr
	Server       string // SSDP SERVER header
	Location     string
	FriendlyName string
	Manufacturer string
	Model        string
	ServiceType  string // WANIPConnection or WANPPPConnection service used
	ExternalIP   string // GetExternalIPAddress answer
	Problem      string // why the description or the SOAP call gave nothing
}

// upnpDevice is the part of a UPnP device description (UPnP Device
// Architecture 1.1 §2.3) that matters here; devices nest.
type upnpDevice struct {
	DeviceType   string        `xml:"deviceType"`
	FriendlyName string        `xml:"friendlyName"`
	Manufacturer string        `xml:"manufacturer"`
	ModelName    string        `xml:"modelName"`
	Services     []upnpService `xml:"serviceList>service"`
	Devices      []upnpDevice  `xml:"deviceList>device"`
}

type upnpService struct {
	ServiceType string `xml:"serviceType"`
	ControlURL  string `xml:"controlURL"`
}

type upnpRoot struct {
	URLBase string     `xml:"URLBase"`
	Device  upnpDevice `xml:"device"`
}

// findWANService walks the device tree for the service that answers
// GetExternalIPAddress.
func findWANService(d upnpDevice) (upnpService, bool) {
	for _, s := range d.Services {
		if strings.Contains(s.ServiceType, ":WANIPConnection:") || strings.Contains(s.ServiceType, ":WANPPPConnection:") {
			return s, true
		}
	}
	for _, c := range d.Devices {
		if s, ok := findWANService(c); ok {
			return s, true
		}
	}
	return upnpService{}, false
}

// lanAddr reports whether a gateway address is one we may talk HTTP to: on
// the LAN (private, link-local) or this machine (tests).
func lanAddr(a netip.Addr) bool {
	return a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLoopback()
}

// sameHostURL resolves ref against base and accepts it only when it is
// plain HTTP to the responder itself — a LOCATION or control URL naming
// another host is never followed.
func sameHostURL(base *url.URL, ref string, responder netip.Addr) (*url.URL, error) {
	u, err := base.Parse(strings.TrimSpace(ref))
	if err != nil {
		return nil, fmt.Errorf("URL %q: %w", ref, err)
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("URL %q: not http", ref)
	}
	host, err := netip.ParseAddr(u.Hostname())
	if err != nil || host.Unmap() != responder {
		return nil, fmt.Errorf("URL %q points away from the device that answered (%s)", ref, responder)
	}
	return u, nil
}

// igdClient is an HTTP client that can reach only responder, follows no
// redirect and uses no proxy.
func igdClient(d Dialer, responder netip.Addr) *http.Client {
	return &http.Client{
		Timeout: FetchTimeout,
		Transport: &http.Transport{
			Proxy: nil,
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				host, _, err := net.SplitHostPort(addr)
				if ip, perr := netip.ParseAddr(host); err != nil || perr != nil || ip.Unmap() != responder {
					return nil, errors.New("upnp: refusing to dial " + addr)
				}
				return d.DialContext(ctx, "tcp4", addr)
			},
			DisableKeepAlives:     true,
			ResponseHeaderTimeout: FetchTimeout,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return errors.New("upnp: redirect not followed") },
	}
}

// readLimitedBody reads at most limit bytes and reports a longer body as an
// error without reading the rest.
func readLimitedBody(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("more than %d bytes", limit)
	}
	return b, nil
}

// describe fetches the description at location and asks the WAN
// connection service for the external address (read-only; the tool never
// calls AddPortMapping or any other action).
func describe(ctx context.Context, d Dialer, ua string, info *Gateway) {
	base, err := url.Parse(info.Location)
	if err != nil {
		info.Problem = "LOCATION unreadable"
		return
	}
	loc, err := sameHostURL(base, info.Location, info.Responder)
	if err != nil {
		info.Problem = err.Error()
		return
	}
	client := igdClient(d, info.Responder)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, loc.String(), nil)
	req.Header.Set("User-Agent", ua)
	resp, err := client.Do(req)
	if err != nil {
		info.Problem = "description: " + err.Error()
		return
	}
	body, err := readLimitedBody(resp.Body, upnpDescLimit)
	resp.Body.Close()
	if err != nil {
		info.Problem = "description: " + err.Error()
		return
	}
	var root upnpRoot
	if err := xml.Unmarshal(body, &root); err != nil {
		info.Problem = "description is not valid XML: " + err.Error()
		return
	}
	info.FriendlyName, info.Manufacturer, info.Model = Clip(root.Device.FriendlyName), Clip(root.Device.Manufacturer), Clip(root.Device.ModelName)
	svc, ok := findWANService(root.Device)
	if !ok {
		info.Problem = "no WANIPConnection/WANPPPConnection service in the description"
		return
	}
	info.ServiceType = Clip(svc.ServiceType)
	if root.URLBase != "" {
		if b, err := sameHostURL(loc, root.URLBase, info.Responder); err == nil {
			loc = b
		}
	}
	ctl, err := sameHostURL(loc, svc.ControlURL, info.Responder)
	if err != nil {
		info.Problem = "control URL: " + err.Error()
		return
	}
	ip, err := getExternalIP(ctx, client, ua, ctl, svc.ServiceType)
	if err != nil {
		info.Problem = "GetExternalIPAddress: " + err.Error()
		return
	}
	info.ExternalIP = ip
}

// getExternalIP performs the read-only GetExternalIPAddress action of
// WANIPConnection (UPnP IGD:1 WANIPConnection §2.4.18).
func getExternalIP(ctx context.Context, client *http.Client, ua string, ctl *url.URL, serviceType string) (string, error) {
	envelope := `<?xml version="1.0"?>` +
		`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">` +
		`<s:Body><u:GetExternalIPAddress xmlns:u="` + xmlEscape(serviceType) + `"></u:GetExternalIPAddress></s:Body></s:Envelope>`
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ctl.String(), strings.NewReader(envelope))
	req.Header.Set("Content-Type", `text/xml; charset="utf-8"`)
	req.Header.Set("SOAPAction", `"`+serviceType+`#GetExternalIPAddress"`)
	req.Header.Set("User-Agent", ua)
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := readLimitedBody(resp.Body, upnpSOAPLimit)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", errors.New("no NewExternalIPAddress in the answer")
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "NewExternalIPAddress" {
			var v string
			if err := dec.DecodeElement(&v, &se); err != nil {
				return "", err
			}
			v = strings.TrimSpace(v)
			if _, err := netip.ParseAddr(v); err != nil {
				return "", fmt.Errorf("external address %q is not an IP address", Clip(v))
			}
			return v, nil
		}
	}
}

func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// Clip shortens a string a device sent before it goes into a report.
func Clip(s string) string {
	s = strings.ToValidUTF8(strings.TrimSpace(s), "?")
	if r := []rune(s); len(r) > 120 {
		return string(r[:120]) + "…"
	}
	return s
}
