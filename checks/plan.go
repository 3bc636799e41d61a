package checks

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"time"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// Ports are the ports the checks contact. The defaults are the page's; tests
// and demo point them at loopback fakes. The report always names the page's
// rule, the plan the ports really contacted.
type Ports struct {
	SIPUDP        int               // LAN→WAN ①, 5060
	RTP           content.PortRange // LAN→WAN ②⑦, 10000-20000
	STUNPrimary   int               // LAN→WAN ③, 3478
	STUNSecondary int               // LAN→WAN ③, 3479
	Web           int               // LAN→WAN ④, 8000
	FTPSControl   int               // LAN→WAN ⑤, 20990
	FTPSPassive   content.PortRange // LAN→WAN ⑤, 20991-21000
	SIPTLS        int               // LAN→WAN ⑥, 15061
	SIPWSS        int               // LAN→WAN ⑧, 15062
	NTP           int               // LAN→WAN ⑨, 123
	DNS           int               // 53
	Reflector     int               // control/echo port of biztel-doctor serve
	ReflectorSIP  int               // SIP echo of the reflector (UDP and TCP)
	ReflectorRTP  content.PortRange // RTP range of the reflector
}

// DefaultReflectorPort is the reflector's control/echo port when its address
// gives none.
const DefaultReflectorPort = 20999

// DefaultPorts are the requirements page's ports.
func DefaultPorts() Ports {
	return Ports{
		SIPUDP: 5060, RTP: content.PortRange{From: 10000, To: 20000},
		STUNPrimary: 3478, STUNSecondary: 3479, Web: 8000,
		FTPSControl: 20990, FTPSPassive: content.PortRange{From: 20991, To: 21000},
		SIPTLS: 15061, SIPWSS: 15062, NTP: 123, DNS: 53,
		Reflector: DefaultReflectorPort, ReflectorSIP: 5060,
		ReflectorRTP: content.PortRange{From: 10000, To: 20000},
	}
}

// Options are the run flags of `check` (design.md §3).
type Options struct {
	Only          []string      // run just these (and their prerequisites)
	Skip          []string      // leave these out
	Long          bool          // run nat.timer; media.bandwidth keeps its full load length instead of ending early
	NATTimerMax   time.Duration // nat.timer search horizon
	MediaDuration time.Duration // media.quality stream length
	RTPFull       bool          // sweep every port of the RTP range
	Ports         Ports
}

// Run-option defaults.
const (
	DefaultNATTimerMax   = 3600 * time.Second // the page's SIP NAT timer
	DefaultMediaDuration = 10 * time.Second
)

// DefaultOptions returns the defaults of every run flag.
func DefaultOptions() Options {
	return Options{NATTimerMax: DefaultNATTimerMax, MediaDuration: DefaultMediaDuration, Ports: DefaultPorts()}
}

// Destination is one thing a check would contact.
type Destination struct {
	Check     string            `json:"check"`
	Proto     string            `json:"proto"`     // SIP, STUN, HTTPS, …
	Transport string            `json:"transport"` // udp or tcp
	Address   string            `json:"address"`   // host name or IP
	Ports     content.PortRange `json:"-"`         // the ports really contacted
	Purpose   content.Text      `json:"-"`
}

// HostPort is Address joined with the first port.
func (d Destination) HostPort() string {
	return net.JoinHostPort(d.Address, strconv.Itoa(d.Ports.From))
}

// Plan is what a run will do: per check, its destinations or why it skips.
type Plan struct {
	Profile *profile.Profile
	Options Options
	// Checks are the selected check ids in catalog order, prerequisites
	// included.
	Checks       []string
	Destinations []Destination           // every destination, grouped by check in order
	Skipped      map[string]content.Text // check id → why it will not run
	// Excluded are the catalog checks the run flags leave out of Checks
	// (--skip, or neither named by --only nor needed by what it names), in
	// catalog order. They contact nothing; the runner reports them as skips
	// naming the flag, so a report still lists every check of the catalog.
	// A long check without --long stays in Checks, skipped with the
	// reason, and its result names ExcludedByLong.
	Excluded []Exclusion

	specs map[string]Spec // the specs the plan was made from; the runner runs these
}

// Exclusion is a catalog check the run flags keep out of a run.
type Exclusion struct {
	ID  string
	By  string       // the flag that left it out: "--skip" or "--only"
	Why content.Text // for people, in both languages
}

// Flags that leave a check out, as Exclusion.By and Result.SkippedBecause
// name them. A check id never starts with "--".
const (
	ExcludedBySkip = "--skip"
	ExcludedByOnly = "--only"
	ExcludedByLong = "--long"
)

// Reasons of the exclusions, shown in reports and in plan. The plan is
// pure and given no content: it takes them from the embedded content, as
// the checks' own Plan functions do.
var (
	whyExcludedBySkip = content.Phrase("check.plan.excluded_by_skip", nil)
	whyExcludedByOnly = content.Phrase("check.plan.excluded_by_only", nil)
	whyLong           = content.Phrase("check.plan.long", nil)
)

// longLeftOut reports whether s is a long check that opt does not run: no
// --long, and not named in --only.
func longLeftOut(s Spec, opt Options) bool {
	return s.Long && !opt.Long && !slices.Contains(opt.Only, s.ID)
}

// Runs are the plan's checks that will run (the ones it does not skip),
// in plan order.
func (p *Plan) Runs() []string {
	var out []string
	for _, id := range p.Checks {
		if _, skipped := p.Skipped[id]; !skipped {
			out = append(out, id)
		}
	}
	return out
}

// For returns the destinations of one check.
func (p *Plan) For(id string) []Destination {
	var out []Destination
	for _, d := range p.Destinations {
		if d.Check == id {
			out = append(out, d)
		}
	}
	return out
}

// UnknownCheckError names an id given to --only or --skip that is not in
// the catalog.
type UnknownCheckError struct {
	ID    string
	Valid []string
}

func (e *UnknownCheckError) Error() string {
	return fmt.Sprintf("unknown check %q; valid ids: %v", e.ID, e.Valid)
}

// MakePlan turns a profile and run options into a Plan. It is pure: no
// socket, no resolver, no clock.
func MakePlan(p *profile.Profile, opt Options) (*Plan, error) {
	return makePlan(p, opt, Registry())
}

// makePlan plans over the given specs (the registry, or test specs).
func makePlan(p *profile.Profile, opt Options, specs []Spec) (*Plan, error) {
	if opt.Ports == (Ports{}) {
		opt.Ports = DefaultPorts()
	}
	ids := make([]string, len(specs))
	byID := map[string]Spec{}
	for i, s := range specs {
		ids[i] = s.ID
		byID[s.ID] = s
	}
	for _, list := range [][]string{opt.Only, opt.Skip} {
		for _, id := range list {
			if _, ok := byID[id]; !ok {
				return nil, &UnknownCheckError{ID: id, Valid: ids}
			}
		}
	}
	selected := selectChecks(specs, byID, opt)
	plan := &Plan{Profile: p, Options: opt, Skipped: map[string]content.Text{}, specs: byID}
	for _, s := range specs {
		if !selected[s.ID] {
			ex := Exclusion{ID: s.ID, By: ExcludedByOnly, Why: whyExcludedByOnly}
			if slices.Contains(opt.Skip, s.ID) {
				ex.By, ex.Why = ExcludedBySkip, whyExcludedBySkip
			}
			plan.Excluded = append(plan.Excluded, ex)
			continue
		}
		plan.Checks = append(plan.Checks, s.ID)
		if longLeftOut(s, opt) {
			plan.Skipped[s.ID] = whyLong
			continue
		}
		if s.Plan == nil {
			continue
		}
		dests, skip := s.Plan(p, opt)
		if !skip.IsZero() {
			plan.Skipped[s.ID] = skip
			continue
		}
		for i := range dests {
			dests[i].Check = s.ID
		}
		plan.Destinations = append(plan.Destinations, dests...)
	}
	return plan, nil
}

// selectChecks applies --only/--skip and adds prerequisites of what is left.
func selectChecks(specs []Spec, byID map[string]Spec, opt Options) map[string]bool {
	sel := map[string]bool{}
	if len(opt.Only) == 0 {
		for _, s := range specs {
			sel[s.ID] = true
		}
	} else {
		var add func(id string)
		add = func(id string) {
			if sel[id] {
				return
			}
			sel[id] = true
			s := byID[id]
			for _, dep := range s.deps() {
				add(dep)
			}
		}
		for _, id := range opt.Only {
			add(id)
		}
	}
	for _, id := range opt.Skip {
		delete(sel, id)
	}
	return sel
}
