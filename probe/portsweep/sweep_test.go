package portsweep

import (
	"context"
	"fmt"
	"net"
	"testing"

	"github.com/biztel-tools/biztel-doctor/probe/tcp"
)

func TestCompact(t *testing.T) {
	for _, tc := range []struct {
		in   []int
		want string
	}{
		{nil, ""},
		{[]int{20991}, "20991"},
		{[]int{20995, 20996, 20997, 20998, 20999, 21000}, "20995-21000"},
		{[]int{21000, 20991, 20993, 20994}, "20991, 20993-20994, 21000"},
	} {
		if got := Compact(tc.in); got != tc.want {
			t.Errorf("Compact(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Run classifies each port: one that listens, one closed (refused on
// loopback), and skip left out.
func TestRun(t *testing.T) {
	open, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	closed, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	openPort := open.Addr().(*net.TCPAddr).Port
	for _, port := range []int{openPort, closedPort} {
		r := Run(context.Background(), &net.Dialer{}, "127.0.0.1", port, port+1, port+1)
		want := tcp.Refused
		if port == openPort {
			want = tcp.OK
		}
		if got := r.Ports(want); len(got) != 1 || got[0] != port || r.Count(tcp.OK, tcp.Refused) != 1 {
			t.Errorf("port %d: %v ports %v, %d answered", port, want, got, r.Count(tcp.OK, tcp.Refused))
		}
	}
	r := Run(context.Background(), &net.Dialer{}, "127.0.0.1", openPort, openPort, openPort)
	if r.Count(tcp.OK, tcp.Refused, tcp.Filtered) != 0 {
		t.Errorf("the skipped port was tried")
	}
	r.Add(openPort, tcp.Filtered)
	if r.Ranges(tcp.Filtered) != fmt.Sprint(openPort) {
		t.Errorf("Add: %q", r.Ranges(tcp.Filtered))
	}
}
