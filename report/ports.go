package report

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// PortsInput is what `ports` renders: the requirement tables, with the
// site's addresses and applicability when a profile is given.
type PortsInput struct {
	Content *content.Content
	Profile *profile.Profile // nil: the page's tables as they are
	Lang    content.Lang
	Snippet string // vendor configuration, when --vendor was given
}

type jsonPortRow struct {
	ID          string   `json:"id"`
	Direction   string   `json:"direction"`
	Number      int      `json:"number"`
	Item        string   `json:"item"`
	Protocol    string   `json:"protocol"`
	Transport   string   `json:"transport"`
	Destination string   `json:"destination"`
	Address     string   `json:"address,omitempty"`
	Ports       string   `json:"ports"`
	Source      string   `json:"source"`
	SourcePorts string   `json:"source_ports"`
	QoS         bool     `json:"qos"`
	Options     []string `json:"options"`
	Applies     *bool    `json:"applies,omitempty"`
	Notes       []string `json:"notes"`
	Checks      []string `json:"checks"`
}

// roleAddress maps a table role to the site's value for it.
func roleAddress(role string, vars map[string]string) string {
	switch role {
	case content.RoleServer:
		return vars["server_ip"]
	case content.RoleSTUN:
		return vars["stun_dest"]
	case content.RoleRecording:
		return vars["recording"]
	case content.RoleNTP:
		return vars["ntp"]
	case content.RoleUniConnect:
		return vars["uniconnect"]
	}
	return ""
}

func (in PortsInput) rows() []jsonPortRow {
	// Without a profile the address cells say where the real value is found
	// (the empty profile's markers), as the page's XXX placeholders do.
	site := in.Profile
	if site == nil {
		site = &profile.Profile{}
	}
	vars := site.Vars(string(in.Lang))
	var opts map[string]bool
	if in.Profile != nil {
		opts = in.Profile.OptionSet()
	}
	fill := func(t content.Text) string { return content.Fill(t.In(in.Lang), vars) }
	var out []jsonPortRow
	for _, r := range in.Content.Requirements {
		row := jsonPortRow{ID: r.ID, Direction: r.Direction, Number: r.Number, Item: r.Item.In(in.Lang),
			Protocol: r.ProtocolLabel(in.Lang), Transport: strings.ToUpper(r.Transport), Destination: fill(r.Dest),
			Ports: content.PortList(r.Ports), Source: fill(r.Source), SourcePorts: content.PortList(r.SourcePorts),
			QoS: r.QoS, Options: nonNil(r.Options), Notes: []string{}, Checks: nonNil(r.Checks)}
		if row.Ports == "" {
			row.Ports = in.Content.Label("ports.any", in.Lang)
		}
		if row.SourcePorts == "" {
			row.SourcePorts = in.Content.Label("ports.dynamic", in.Lang)
		}
		for _, n := range r.Notes {
			row.Notes = append(row.Notes, fill(n))
		}
		if in.Profile != nil {
			role := r.DestRole
			if r.Direction == content.WANToLAN {
				role = r.SourceRole // the BIZTEL server is the source of return traffic
			}
			row.Address = roleAddress(role, vars)
			applies := r.AppliesTo(opts)
			row.Applies = &applies
		}
		out = append(out, row)
	}
	return out
}

// WritePorts renders the requirement tables.
func WritePorts(w io.Writer, in PortsInput, f Format) error {
	rows := in.rows()
	L := func(k string) string { return in.Content.Label(k, in.Lang) }
	switch f {
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		doc := map[string]any{"requirements": rows, "nat_timer_seconds": in.Content.Rules.NATTimerSeconds,
			"per_call_kbps": in.Content.Rules.PerCallKbps}
		if in.Snippet != "" {
			doc["vendor_config"] = in.Snippet
		}
		return enc.Encode(doc)
	case FormatMarkdown:
		pw := &errWriter{w: w}
		for _, dir := range []string{content.LANToWAN, content.WANToLAN} {
			title, notes := in.table(dir)
			pw.printf("## %s\n\n", mdEscape(title))
			for _, n := range notes {
				pw.printf("%s  \n", mdEscape(n))
			}
			pw.printf("\n| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|---|---|---|\n", L("ports.col.no"), L("ports.col.item"), L("ports.col.proto"), L("ports.col.transport"),
				L("ports.col.dest"), L("ports.col.dport"), L("ports.col.src"), L("ports.col.sport"), L("ports.col.qos"))
			for _, r := range rows {
				if r.Direction != dir {
					continue
				}
				dest := r.Destination
				qos := ""
				if r.QoS {
					qos = "QoS"
				}
				pw.printf("| %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.Number, mdEscape(r.Item), mdEscape(r.Protocol),
					r.Transport, mdEscape(dest), r.Ports, mdEscape(r.Source), r.SourcePorts, qos)
			}
			pw.printf("\n")
			for _, r := range rows {
				if r.Direction == dir {
					for _, n := range r.Notes {
						pw.printf("- %d: %s\n", r.Number, mdEscape(n))
					}
				}
			}
			pw.printf("\n")
		}
		writeRules(pw, in, "- %s\n")
		if in.Snippet != "" {
			pw.printf("\n## %s\n\n```\n%s\n```\n", L("report.snippet"), strings.TrimRight(in.Snippet, "\n"))
		}
		return pw.err
	default:
		pw := &errWriter{w: w}
		for _, dir := range []string{content.LANToWAN, content.WANToLAN} {
			title, notes := in.table(dir)
			pw.printf("%s\n", asciiArrows(title))
			for _, n := range notes {
				pw.printf("  %s\n", asciiArrows(n))
			}
			for _, r := range rows {
				if r.Direction != dir {
					continue
				}
				qos := ""
				if r.QoS {
					qos = "  [QoS]"
				}
				pw.printf("  %-8s %2d  %-10s %-3s  %s %s%s\n", dirLabel(dir), r.Number, r.Protocol, r.Transport,
					L("ports.col.dport"), r.Ports, qos)
				pw.printf("      %s: %s\n      %s: %s (%s: %s)\n", L("ports.col.dest"), r.Destination,
					L("ports.col.src"), r.Source, L("ports.col.sport"), r.SourcePorts)
				pw.printf("      %s: %s\n", L("ports.col.item"), r.Item)
				pw.printf("      %s: %s\n", L("ports.col.options"), optionsLine(r, L))
				for _, n := range r.Notes {
					pw.printf("      %s\n", asciiArrows(n))
				}
			}
			pw.printf("\n")
		}
		writeRules(pw, in, "  * %s\n")
		if in.Snippet != "" {
			pw.printf("\n%s\n%s\n", L("report.snippet"), in.Snippet)
		}
		return pw.err
	}
}

func writeRules(pw *errWriter, in PortsInput, line string) {
	pw.printf("%s\n", in.Content.Label("ports.rules", in.Lang))
	r := in.Content.Rules
	for _, rule := range []content.Rule{r.NATTimer, r.QoS} {
		if !rule.Text.IsZero() {
			pw.printf(line, rule.Text.In(in.Lang))
		}
	}
}

func optionsLine(r jsonPortRow, L func(string) string) string {
	s := L("ports.always")
	if len(r.Options) > 0 {
		names := make([]string, len(r.Options))
		for i, o := range r.Options {
			names[i] = L("site.opt." + o) // the option's name as the Site screen shows it
		}
		s = strings.Join(names, " / ")
	}
	if r.Applies != nil {
		if *r.Applies {
			s += " — " + L("ports.applies")
		} else {
			s += " — " + L("ports.not_applies")
		}
	}
	return s
}

// table returns a table's heading and notes from content, falling back to
// the UI label.
func (in PortsInput) table(dir string) (string, []string) {
	t, ok := in.Content.Table(dir)
	if !ok {
		return in.Content.Label(dirKey(dir), in.Lang), nil
	}
	var notes []string
	for _, n := range t.Notes {
		notes = append(notes, n.In(in.Lang))
	}
	return t.Title.In(in.Lang), notes
}

func dirKey(dir string) string {
	if dir == content.WANToLAN {
		return "ports.wan_lan"
	}
	return "ports.lan_wan"
}

func dirLabel(dir string) string {
	if dir == content.WANToLAN {
		return "WAN->LAN"
	}
	return "LAN->WAN"
}

// asciiArrows replaces the arrow (East-Asian ambiguous width) in terminal
// output so aligned text stays aligned in every terminal.
func asciiArrows(s string) string { return strings.ReplaceAll(s, "→", "->") }
