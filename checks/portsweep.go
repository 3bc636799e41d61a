package checks

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/probe/tcp"
)

// portSweep is the TCP connect result of each port of a range.
type portSweep struct {
	mu     sync.Mutex
	result map[int]tcp.Class
}

func (s *portSweep) add(port int, c tcp.Class) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.result[port] = c
}

// ranges lists the ports of the given classes compactly ("20995-21000").
func (s *portSweep) ranges(classes ...tcp.Class) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ports []int
	for p, c := range s.result {
		if slices.Contains(classes, c) {
			ports = append(ports, p)
		}
	}
	return compactPorts(ports)
}

func (s *portSweep) addFacts(f Facts) {
	for key, classes := range map[string][]tcp.Class{
		"range_open":    {tcp.OK},
		"range_refused": {tcp.Refused, tcp.Reset, tcp.Closed},
		"range_blocked": {tcp.Filtered, tcp.Unreachable},
	} {
		if v := s.ranges(classes...); v != "" {
			f[key] = v
		}
	}
	f["range_blocked_count"] = s.count(tcp.Filtered, tcp.Unreachable)
}

// count is the number of ports of the given classes.
func (s *portSweep) count(classes ...tcp.Class) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.result {
		if slices.Contains(classes, c) {
			n++
		}
	}
	return n
}

// sweepPorts connects to every port of rng except skip, all at once. A
// refused port answered (RST: the path is open, nothing listens now); a
// filtered one did not.
func sweepPorts(ctx context.Context, env *Env, host string, rng content.PortRange, skip int) *portSweep {
	s := &portSweep{result: map[int]tcp.Class{}}
	var wg sync.WaitGroup
	for port := rng.From; port <= rng.To; port++ {
		if port == skip {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, p := tcp.Dial(ctx, env.Dialer, tcpJoinHostPort(host, port))
			if c != nil {
				c.Close()
			}
			s.add(port, p.Class)
		}()
	}
	wg.Wait()
	return s
}

// compactPorts renders ports as "20991, 20995-21000".
func compactPorts(ports []int) string {
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
