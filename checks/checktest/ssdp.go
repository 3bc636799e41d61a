package checktest

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
)

// IGDMode is how the fake UPnP gateway behaves.
type IGDMode int

const (
	IGDGood        IGDMode = iota // answers M-SEARCH, serves its description and GetExternalIPAddress
	IGDSilent                     // no gateway on the LAN
	IGDGarbageXML                 // answers M-SEARCH, description is not XML
	IGDHugeBody                   // description far larger than any real one
	IGDOffLAN                     // LOCATION names another host than the one that answered
	IGDGarbageSSDP                // answers M-SEARCH with bytes that are not HTTP
	IGDNotGateway                 // a media renderer answers, not a gateway
)

// IGD is a fake UPnP Internet Gateway Device: an SSDP responder on
// 127.0.0.1:0 (stands in for the multicast group) and an HTTP server with its
// description and WANIPConnection control URL.
type IGD struct {
	SSDPAddr   string // give this to Env.SSDPAddr
	ExternalIP string // what GetExternalIPAddress returns
	Mode       IGDMode

	http      *httptest.Server
	searches  atomic.Int64
	mu        sync.Mutex
	actions   []string // SOAPAction values received
	hostileRq atomic.Int64
}

// NewIGD starts the fake gateway.
func NewIGD(t TB, mode IGDMode, externalIP string) *IGD {
	g := &IGD{Mode: mode, ExternalIP: externalIP}
	g.http = httptest.NewServer(http.HandlerFunc(g.serveHTTP))
	t.Cleanup(g.http.Close)
	c := ListenUDP(t, "127.0.0.1", 0)
	g.SSDPAddr = c.LocalAddr().String()
	go g.loop(c)
	return g
}

// Searches is how many M-SEARCH datagrams arrived.
func (g *IGD) Searches() int { return int(g.searches.Load()) }

// Actions lists the SOAP actions the gateway was asked for.
func (g *IGD) Actions() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.actions...)
}

func (g *IGD) loop(c *net.UDPConn) {
	buf := make([]byte, 4096)
	for {
		n, src, err := c.ReadFromUDP(buf)
		if err != nil {
			return
		}
		if !bytes.HasPrefix(buf[:n], []byte("M-SEARCH * HTTP/1.1")) {
			continue
		}
		g.searches.Add(1)
		location := g.http.URL + "/rootDesc.xml"
		st := "urn:schemas-upnp-org:device:InternetGatewayDevice:1"
		switch g.Mode {
		case IGDSilent:
			continue
		case IGDGarbageSSDP:
			_, _ = c.WriteToUDP([]byte("\xff\xfe not http at all"), src)
			continue
		case IGDOffLAN:
			// another loopback address than the one that answered: a
			// check that follows it would still stay on this machine
			location = strings.Replace(location, "127.0.0.1", "127.0.0.2", 1)
		case IGDNotGateway:
			st = "urn:schemas-upnp-org:device:MediaRenderer:1"
		}
		resp := fmt.Sprintf("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: %s\r\nUSN: uuid:checktest::%s\r\nEXT:\r\nSERVER: checktest/1.0 UPnP/1.1 fakeigd/1.0\r\nLOCATION: %s\r\n\r\n", st, st, location)
		_, _ = c.WriteToUDP([]byte(resp), src)
	}
}

const igdDescription = `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0">
<specVersion><major>1</major><minor>0</minor></specVersion>
<device>
<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>
<friendlyName>Simulated Router</friendlyName>
<manufacturer>Simulated</manufacturer>
<modelName>IGD (simulated)</modelName>
<deviceList><device>
<deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>
<deviceList><device>
<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>
<serviceList><service>
<serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>
<serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>
<controlURL>/ctl/IPConn</controlURL>
<eventSubURL>/evt/IPConn</eventSubURL>
<SCPDURL>/WANIPCn.xml</SCPDURL>
</service></serviceList>
</device></deviceList>
</device></deviceList>
</device>
</root>`

func (g *IGD) serveHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/rootDesc.xml":
		w.Header().Set("Content-Type", "text/xml")
		switch g.Mode {
		case IGDGarbageXML:
			_, _ = io.WriteString(w, "<root><device><deviceType>urn:schemas-upnp-org:device:Internet")
		case IGDHugeBody:
			_, _ = io.WriteString(w, `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device><friendlyName>`)
			chunk := bytes.Repeat([]byte("A"), 64<<10)
			for i := 0; i < 64; i++ { // 4 MiB
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		default:
			_, _ = io.WriteString(w, igdDescription)
		}
	case r.Method == http.MethodPost && r.URL.Path == "/ctl/IPConn":
		action := r.Header.Get("SOAPAction")
		g.mu.Lock()
		g.actions = append(g.actions, action)
		g.mu.Unlock()
		if !strings.Contains(action, "#GetExternalIPAddress") {
			http.Error(w, "only GetExternalIPAddress here", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
		fmt.Fprintf(w, `<?xml version="1.0"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">
<s:Body><u:GetExternalIPAddressResponse xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1">
<NewExternalIPAddress>%s</NewExternalIPAddress>
</u:GetExternalIPAddressResponse></s:Body></s:Envelope>`, g.ExternalIP)
	default:
		g.hostileRq.Add(1)
		http.NotFound(w, r)
	}
}
