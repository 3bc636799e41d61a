// Package portsweep connects to every TCP port of a range at once and
// records how each attempt ended (probe/tcp's classes): a refused port
// answered (RST: the path is open, nothing listens now), a filtered one did
// not. ftps.passive sweeps the recording server's passive range with it.
package portsweep

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/biztel-tools/biztel-doctor/probe/tcp"
)

// Result is the TCP connect result of each port swept.
type Result struct {
	mu     sync.Mutex
	result map[int]tcp.Class
}

// Add records port's class (a port tried elsewhere, e.g. the offered
// passive port that the data connection used).
func (s *Result) Add(port int, c tcp.Class) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.result[port] = c
}

// Ports lists the ports of the given classes, sorted.
func (s *Result) Ports(classes ...tcp.Class) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ports []int
	for p, c := range s.result {
		if slices.Contains(classes, c) {
			ports = append(ports, p)
		}
	}
	slices.Sort(ports)
	return ports
}

// Ranges lists the ports of the given classes compactly ("20995-21000").
func (s *Result) Ranges(classes ...tcp.Class) string { return Compact(s.Ports(classes...)) }

// Count is the number of ports of the given classes.
func (s *Result) Count(classes ...tcp.Class) int { return len(s.Ports(classes...)) }

// Run connects to every port from..to on host except skip, all at once,
// and closes each connection that opened.
func Run(ctx context.Context, d tcp.Dialer, host string, from, to, skip int) *Result {
	s := &Result{result: map[int]tcp.Class{}}
	var wg sync.WaitGroup
	for port := from; port <= to; port++ {
		if port == skip {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, p := tcp.Dial(ctx, d, net.JoinHostPort(host, strconv.Itoa(port)))
			if c != nil {
				c.Close()
			}
			s.Add(port, p.Class)
		}()
	}
	wg.Wait()
	return s
}

// Compact renders ports as "20991, 20995-21000".
func Compact(ports []int) string {
	ports = slices.Clone(ports)
	slices.Sort(ports)
	var parts []string
	for i := 0; i < len(ports); {
		j := i
		for j+1 < len(ports) && ports[j+1] == ports[j]+1 {
			j++
		}
		if i == j {
			parts = append(parts, strconv.Itoa(ports[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", ports[i], ports[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}
