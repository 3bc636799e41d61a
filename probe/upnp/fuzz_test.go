package upnp

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzSSDPReply: SSDP answers as upnp.igd reads them.
func FuzzSSDPReply(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nUSN: uuid:1::x\r\nLOCATION: http://192.168.1.1:5000/d.xml\r\nSERVER: x\r\n\r\n"))
	f.Add([]byte("NOTIFY * HTTP/1.1\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		resp, ok := parseSSDPReply(data)
		if !ok {
			return
		}
		_ = isGatewayReply(resp.Header.Get("ST"), resp.Header.Get("USN"))
		if loc := Clip(resp.Header.Get("LOCATION")); len([]rune(loc)) > 121 {
			t.Fatalf("LOCATION kept %d runes", len([]rune(loc)))
		}
	})
}

// pipeHTTP is a Dialer whose every connection is answered by one canned
// HTTP response: desc for GET, soap for POST. Nothing touches a socket.
type pipeHTTP struct{ desc, soap []byte }

func (p pipeHTTP) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	go func() {
		defer server.Close()
		_ = server.SetDeadline(time.Now().Add(2 * time.Second))
		req, err := http.ReadRequest(bufio.NewReader(server))
		if err != nil {
			return
		}
		body := p.desc
		if req.Method == http.MethodPost {
			body = p.soap
		}
		_, _ = io.WriteString(server, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n\r\n")
		_, _ = server.Write(body)
	}()
	return client, nil
}

// FuzzIGDDescription: a gateway's description XML and its SOAP answer.
func FuzzIGDDescription(f *testing.F) {
	f.Add([]byte(`<root><device><friendlyName>r</friendlyName><deviceList><device><serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>/ctl</controlURL></service></serviceList></device></deviceList></device></root>`),
		[]byte(`<s:Envelope><s:Body><u:r><NewExternalIPAddress>100.64.1.2</NewExternalIPAddress></u:r></s:Body></s:Envelope>`))
	f.Add([]byte(`<root><URLBase>http://10.9.9.9/</URLBase><device><serviceList><service><serviceType>:WANPPPConnection:</serviceType><controlURL>http://127.0.0.1:1/x</controlURL></service></serviceList></device></root>`),
		[]byte(`<NewExternalIPAddress><x/></NewExternalIPAddress>`))
	f.Add([]byte(`<root><device>`+strings.Repeat("<deviceList><device>", 200)), []byte("not xml"))
	f.Fuzz(func(t *testing.T, desc, soap []byte) {
		info := &Gateway{Responder: netip.MustParseAddr("127.0.0.1"), Location: "http://127.0.0.1:5000/desc.xml"}
		ctx, cancel := context.WithTimeout(context.Background(), 2*FetchTimeout)
		defer cancel()
		start := time.Now()
		describe(ctx, pipeHTTP{desc: desc, soap: soap}, "biztel-doctor/test", info)
		if took := time.Since(start); took > 2*FetchTimeout+500*time.Millisecond {
			t.Fatalf("describeIGD took %s", took)
		}
		if info.ExternalIP != "" {
			if _, err := netip.ParseAddr(info.ExternalIP); err != nil {
				t.Fatalf("external IP %q", info.ExternalIP)
			}
		}
		if info.ExternalIP == "" && info.Problem == "" {
			t.Fatal("neither an address nor a problem")
		}
	})
}

// TestClipHostile: a device's text is cut to 120 runes, valid UTF-8.
func TestClipHostile(t *testing.T) {
	if got := Clip(string([]rune("あいうえお")[0:5]) + string(make([]byte, 200))); len([]rune(got)) > 121 {
		t.Errorf("Clip kept %d runes", len([]rune(got)))
	}
}
