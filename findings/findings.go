// Package findings groups check results by root cause, so one broken rule
// reads as one finding ("UDP to the server is blocked outbound") rather than
// a column of reds. It is pure: results in, groups out. The TUI and the
// reports render the groups with the texts of content (ui key
// "finding.<id>.title" / ".explain"; a single-check group uses the check's
// own title and summary).
package findings

import (
	"slices"

	"github.com/biztel-tools/biztel-doctor/checks"
)

// Group is one root cause and the checks that show it.
type Group struct {
	// ID names the cause ("udp-blocked", …) or, for a result that no rule
	// explains, "check:" + the check id.
	ID string
	// Status is the worst status among Checks (fail before warn).
	Status checks.Status
	// Checks are the warn/fail/error results the cause explains, in result
	// order, then the checks that skipped because of them.
	Checks []string
	// Remedies are the remedy ids the explained results name, first-named
	// first, without repeats.
	Remedies []string
}

// Single reports whether the group is one check's own finding.
func (g Group) Single() bool { return len(g.ID) > 6 && g.ID[:6] == "check:" }

// Check ids by what they send, for the rules.
var (
	// serverUDP reach the BIZTEL server (or its reflector stand-in) over UDP.
	serverUDP = []string{"sip.udp", "rtp.range", "media.quality", "media.bandwidth"}
	// outboundUDP are the UDP checks to BIZTEL's servers (server, STUN);
	// NTP goes elsewhere and may be allowed on its own, so it does not
	// decide the rule, but a failing NTP check is explained by it.
	outboundUDP = []string{"sip.udp", "stun.3478", "stun.3479", "rtp.range", "media.quality", "media.bandwidth"}
	anyUDP      = append(append([]string{}, outboundUDP...), "ntp.hardphone")
	// serverTCP reach the BIZTEL server over TCP.
	serverTCP = []string{"web.8000", "sip.tls", "sip.wss"}
	stun      = []string{"stun.3478", "stun.3479"}
)

// rule finds one cause in the results; it returns the ids it explains, or
// nil when the cause does not show.
type rule struct {
	id    string
	match func(r results) []string
}

// rules in order: the broadest cause first, so a result is claimed by the
// cause that explains most.
var rules = []rule{
	{"server-unreachable", func(r results) []string {
		if r.anyOK(serverUDP) || r.anyReached(serverTCP) || !r.anyFail(serverUDP) || !r.anyFail(serverTCP) {
			return nil
		}
		return r.failing(append(append([]string{}, anyUDP...), serverTCP...))
	}},
	{"udp-blocked", func(r results) []string {
		if len(r.failing(outboundUDP)) < 2 || r.anyOK(outboundUDP) || !r.anyReached(serverTCP) {
			return nil
		}
		return r.failing(anyUDP)
	}},
	{"tls-intercepted", func(r results) []string { return r.naming("disable-tls-inspection") }},
	{"tcp-blocked", func(r results) []string {
		bad := r.failing(serverTCP)
		if len(bad) < 2 || r.anyOK(serverTCP) || !r.anyOK(serverUDP) {
			return nil
		}
		return bad
	}},
	{"stun-blocked", func(r results) []string {
		bad := r.failing(stun)
		if len(bad) < 2 || !r.anyOK([]string{"sip.udp"}) {
			return nil
		}
		return bad
	}},
	{"sip-rewritten", func(r results) []string { return r.naming("disable-sip-alg") }},
	{"ftp-alg", func(r results) []string { return r.naming("disable-ftp-alg") }},
}

// results indexes a run's results by id.
type results struct {
	order []checks.Result
	byID  map[string]checks.Result
}

func (r results) status(id string) (checks.Status, bool) {
	res, ok := r.byID[id]
	return res.Status, ok
}

func (r results) anyOK(ids []string) bool {
	for _, id := range ids {
		if s, ok := r.status(id); ok && s.OK() {
			return true
		}
	}
	return false
}

// anyReached: a TCP connection among ids got through: its check passed,
// or failed only because a device on the path answered TLS with its own
// certificate (tls-intercepted explains that one, and the path is open).
func (r results) anyReached(ids []string) bool {
	if r.anyOK(ids) {
		return true
	}
	for _, id := range ids {
		if res, ok := r.byID[id]; ok && slices.Contains(res.Remedies, "disable-tls-inspection") {
			return true
		}
	}
	return false
}

func (r results) anyFail(ids []string) bool { return len(r.failing(ids)) > 0 }

// failing returns the ids among ids whose result is fail, in result order.
func (r results) failing(ids []string) []string {
	var out []string
	for _, res := range r.order {
		if res.Status == checks.Fail && slices.Contains(ids, res.ID) {
			out = append(out, res.ID)
		}
	}
	return out
}

// naming returns the warn/fail results that name remedy.
func (r results) naming(remedy string) []string {
	var out []string
	for _, res := range r.order {
		if (res.Status == checks.Fail || res.Status == checks.Warn) && slices.Contains(res.Remedies, remedy) {
			out = append(out, res.ID)
		}
	}
	return out
}

// Group returns the root-cause groups of a run's results: first the causes
// of the rule table, then every warn/fail/error result no cause explains,
// each on its own. Passes and plain skips make no group.
func GroupResults(all []checks.Result) []Group {
	r := results{order: all, byID: map[string]checks.Result{}}
	for _, res := range all {
		r.byID[res.ID] = res
	}
	claimed := map[string]bool{}
	var out []Group
	for _, ru := range rules {
		ids := ru.match(r)
		var fresh []string
		for _, id := range ids {
			if !claimed[id] {
				fresh = append(fresh, id)
			}
		}
		if len(fresh) == 0 {
			continue
		}
		out = append(out, r.group(ru.id, fresh, claimed))
	}
	for _, res := range all {
		if claimed[res.ID] || !(res.Status == checks.Warn || res.Status.Bad()) {
			continue
		}
		out = append(out, r.group("check:"+res.ID, []string{res.ID}, claimed))
	}
	return out
}

// group builds a Group from the explained ids, adds the checks that skipped
// because of them, and marks all claimed.
func (r results) group(id string, ids []string, claimed map[string]bool) Group {
	g := Group{ID: id, Status: checks.Pass}
	rank := map[checks.Status]int{checks.Pass: 0, checks.Skip: 1, checks.Warn: 2, checks.Error: 3, checks.Fail: 4}
	for _, cid := range ids {
		claimed[cid] = true
		res := r.byID[cid]
		g.Checks = append(g.Checks, cid)
		if rank[res.Status] > rank[g.Status] {
			g.Status = res.Status
		}
		for _, rem := range res.Remedies {
			if !slices.Contains(g.Remedies, rem) {
				g.Remedies = append(g.Remedies, rem)
			}
		}
	}
	for _, res := range r.order {
		if res.Status == checks.Skip && res.SkippedBecause != "" && slices.Contains(ids, res.SkippedBecause) && !claimed[res.ID] {
			claimed[res.ID] = true
			g.Checks = append(g.Checks, res.ID)
		}
	}
	return g
}

// RuleIDs lists the cause ids of the rule table, for the content test that
// holds every one to a title and an explanation.
func RuleIDs() []string {
	out := make([]string, len(rules))
	for i, ru := range rules {
		out[i] = ru.id
	}
	return out
}
