package content

import (
	"fmt"
	"slices"
	"strings"
)

// Roles a requirement row may name (schema.go's Role* constants).
var knownRoles = []string{
	RoleServer, RoleSTUN, RoleRecording, RoleNTP, RoleUniConnect, RoleUniApp,
	RoleRouterGlobal, RoleSoftphone, RoleHardphone, RoleWebRTC, RoleFTPClient,
}

// validateData holds the checks on the page's data that Validate's reference
// checks do not cover: table shape, port order, placeholders, check ids
// against the catalog, thresholds and inspection entries.
func (c *Content) validateData() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	catalog := map[string]bool{}
	for _, ci := range c.Checks {
		catalog[ci.ID] = true
	}
	// Check ids resolve against the catalog when one is loaded (in-memory
	// tests may validate a fragment without it).
	checkRefs := func(where string, ids []string) {
		if len(catalog) == 0 {
			return
		}
		for _, id := range ids {
			if !catalog[id] {
				add("%s: unknown check %q", where, id)
			}
		}
	}
	placeholders := func(where string, t Text) {
		ja, en := Placeholders(t.Ja), Placeholders(t.En)
		for _, p := range append(append([]string{}, ja...), en...) {
			if !slices.Contains(PlaceholderKeys, p) {
				add("%s: unknown placeholder {%s} (known: %s)", where, p, strings.Join(PlaceholderKeys, ", "))
			}
		}
		slices.Sort(ja)
		slices.Sort(en)
		if !slices.Equal(slices.Compact(ja), slices.Compact(en)) {
			add("%s: ja and en use different placeholders (ja %v, en %v)", where, ja, en)
		}
	}

	for i, t := range c.Tables {
		if t.Direction != LANToWAN && t.Direction != WANToLAN {
			add("tables[%d].direction: %q, expected %s or %s", i, t.Direction, LANToWAN, WANToLAN)
		}
		if !t.Title.Complete() {
			add("tables[%s].title: needs ja and en", t.Direction)
		}
	}
	for _, r := range c.Requirements {
		where := "requirements[" + r.ID + "]"
		if r.Number < 1 {
			add("%s.number: %d, expected the circled number (① = 1)", where, r.Number)
		}
		if r.Protocol == "" && !r.ProtocolNote.Complete() {
			add("%s: needs protocol or protocol_note", where)
		}
		for key, t := range map[string]Text{"item": r.Item, "source": r.Source, "destination": r.Dest} {
			if !t.Complete() {
				add("%s.%s: needs ja and en", where, key)
			}
		}
		for key, role := range map[string]string{"source_role": r.SourceRole, "destination_role": r.DestRole} {
			if !slices.Contains(knownRoles, role) {
				add("%s.%s: unknown role %q (known: %s)", where, key, role, strings.Join(knownRoles, ", "))
			}
		}
		for key, ports := range map[string][]PortRange{"ports": r.Ports, "source_ports": r.SourcePorts} {
			for i := 1; i < len(ports); i++ {
				if ports[i].From <= ports[i-1].To {
					add("%s.%s: %s after %s: list ports in ascending order without overlap", where, key, ports[i], ports[i-1])
				}
			}
		}
		if len(r.Remedies) == 0 {
			add("%s.remedies: every row needs a remedy that opens it", where)
		}
		checkRefs(where+".checks", r.Checks)
		for _, t := range append([]Text{r.Item, r.Source, r.Dest, r.ProtocolNote}, r.Notes...) {
			placeholders(where, t)
		}
	}
	for _, r := range c.Remedies {
		where := "remedies[" + r.ID + "]"
		checkRefs(where+".verify", r.Verify)
		placeholders(where+".title", r.Title)
		for i, s := range r.Steps {
			placeholders(fmt.Sprintf("%s.steps[%d]", where, i), s)
		}
	}
	ruleIDs := map[string]bool{}
	for _, rule := range c.Rules.All() {
		if rule.ID == "" && rule.Text.IsZero() {
			continue // nat_timer or qos not given (a fragment)
		}
		where := "rules[" + rule.ID + "]"
		if rule.ID == "" {
			add("rules: rule without id (%q)", rule.Text.En)
		}
		if ruleIDs[rule.ID] {
			add("rules: id %q twice", rule.ID)
		}
		ruleIDs[rule.ID] = true
		if !rule.Text.Complete() {
			add("%s.text: needs ja and en", where)
		}
		if !rule.Source.Complete() {
			add("%s.source: needs the page section in ja and en", where)
		}
		if rule.Inferred && !rule.Note.Complete() {
			add("%s: an inferred rule needs a note saying what is inferred", where)
		}
		checkRefs(where+".checks", rule.Checks)
		placeholders(where, rule.Text)
		placeholders(where, rule.Note)
	}
	for key, th := range map[string]Threshold{
		"loss_percent": c.Thresholds.LossPercent, "jitter_ms": c.Thresholds.JitterMs,
		"rtt_ms": c.Thresholds.RTTMs, "mos": c.Thresholds.MOS,
	} {
		if th == (Threshold{}) {
			continue // not loaded (a fragment)
		}
		where := "thresholds." + key
		if th.HigherIsBetter && th.Pass < th.Warn || !th.HigherIsBetter && th.Pass > th.Warn {
			add("%s: pass %v and warn %v are in the wrong order", where, th.Pass, th.Warn)
		}
		if !th.Source.Complete() {
			add("%s.source: needs its source in ja and en", where)
		}
	}
	names := map[string]bool{}
	for _, p := range c.Inspection {
		where := "inspection[" + p.Name + "]"
		if p.Name == "" || names[p.Name] {
			add("inspection: name %q empty or twice", p.Name)
		}
		names[p.Name] = true
		for _, m := range p.Match {
			if len(strings.TrimSpace(m)) < 4 {
				add("%s.match: %q is too short to name a product", where, m)
			}
		}
		if strings.TrimSpace(p.Source) == "" {
			add("%s.source: say where the issuer name comes from", where)
		}
		if p.Remedy == "" {
			add("%s.remedy: needed", where)
		}
	}
	return errs
}
