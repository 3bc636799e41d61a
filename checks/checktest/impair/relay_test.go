package impair

import (
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/biztel-tools/biztel-doctor/serve/wire"
)

// TestDecideSeededAndBursty: the same seed drops the same packets, in runs
// of exactly Burst, and the counts say so.
func TestDecideSeededAndBursty(t *testing.T) {
	run := func() ([]bool, Counts) {
		d := dirState{imp: Impairment{Loss: 0.05, Burst: 3, Delay: 10 * time.Millisecond, Jitter: 5 * time.Millisecond}, rng: rand.New(rand.NewPCG(9, 1))}
		var drops []bool
		for i := 0; i < 2000; i++ {
			drop, delay := d.decide(100, time.Time{}.Add(time.Duration(i)*time.Millisecond))
			if !drop && (delay < 10*time.Millisecond || delay > 25*time.Millisecond) {
				t.Fatalf("delay %v outside [Delay, Delay+3·Jitter]", delay)
			}
			drops = append(drops, drop)
		}
		return drops, d.counts
	}
	a, ca := run()
	b, _ := run()
	runLen, dropped := 0, 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("packet %d: same seed, different fate", i)
		}
		if a[i] {
			runLen++
			dropped++
			continue
		}
		if runLen%3 != 0 {
			t.Fatalf("a loss run of %d, want multiples of 3", runLen)
		}
		runLen = 0
	}
	if ca.Dropped != dropped || dropped == 0 || ca.LongestBurst%3 != 0 {
		t.Fatalf("counts %+v, counted %d drops", ca, dropped)
	}
}

// TestPoliceTokenBucket: a full bucket lets a burst through at any rate,
// then only the refill rate passes.
func TestPoliceTokenBucket(t *testing.T) {
	// 1 Mbit/s with a 50 kB bucket, offered 2 Mbit/s of 472-byte packets
	// (500 bytes at the IP layer: 500 packets/s) for 4 s.
	d := dirState{imp: Impairment{RateKbps: 1000, BucketBytes: 50000}}
	start := time.Unix(0, 0)
	burst, total := 0, 0
	for i := 0; i < 2000; i++ {
		at := time.Duration(i) * 2 * time.Millisecond
		if d.police(472, start.Add(at)) {
			total++
			if at < 380*time.Millisecond { // the bucket lasts 0.4 s: 50 kB at a net 125 kB/s
				burst++
			}
		}
	}
	if burst != 190 {
		t.Errorf("%d of the burst's first 190 packets passed, want all", burst)
	}
	// the bucket plus 4 s at the rate: (50 kB + 500 kB) ÷ 500 B
	if total < 1099 || total > 1101 {
		t.Errorf("%d packets passed, want about 1100 (bucket + rate)", total)
	}
}

func TestALGRewritesLikeNATSIP(t *testing.T) {
	a := &ALG{Public: netip.MustParseAddr("198.51.100.7")}
	client := netip.MustParseAddrPort("10.0.0.5:5062")
	mapped := netip.MustParseAddrPort("127.0.0.2:40000")
	body := "v=0\r\no=u 1 1 IN IP4 10.0.0.5\r\nc=IN IP4 10.0.0.5\r\nm=audio 10000 RTP/AVP 0\r\n"
	msg := "INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK1\r\nCall-ID: 1@10.0.0.5\r\n" +
		"Contact: <sip:u@10.0.0.5:5062>\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
	out := string(a.outbound("udp", []byte(msg), client, mapped))
	m, err := wire.ParseSIP([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Get("Via"), "198.51.100.7:40000") || !strings.Contains(m.Get("Contact"), "198.51.100.7:40000") {
		t.Errorf("Via/Contact not mapped: %q %q", m.Get("Via"), m.Get("Contact"))
	}
	if m.Get("Call-ID") != "1@10.0.0.5" {
		t.Errorf("Call-ID rewritten: %q", m.Get("Call-ID"))
	}
	if m.Get("Content-Length") != strconv.Itoa(len(m.Body)) || !strings.Contains(string(m.Body), "c=IN IP4 198.51.100.7") {
		t.Errorf("SDP/Content-Length: %q / %q", m.Get("Content-Length"), m.Body)
	}
	want := "udp INVITE Contact,udp INVITE Content-Length,udp INVITE Via,udp INVITE c=,udp INVITE o="
	if got := strings.Join(a.Rewrites(), ","); got != want {
		t.Errorf("rewrites %s\nwant %s", got, want)
	}
	back := string(a.inbound([]byte("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 198.51.100.7:40000;branch=z9hG4bK1\r\nContent-Length: 0\r\n\r\n"), client, mapped))
	if !strings.Contains(back, "Via: SIP/2.0/UDP 10.0.0.5:5062") {
		t.Errorf("response Via not mapped back: %q", back)
	}
	wireMsg := wire.Build(wire.Header{Type: wire.TypeHello}, nil, 64, "")
	if string(a.outbound("udp", wireMsg, client, mapped)) != string(wireMsg) {
		t.Error("the ALG touched a non-SIP datagram")
	}
}
