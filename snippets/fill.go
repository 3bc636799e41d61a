package snippets

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/internal/lazyregexp"
	"github.com/biztel-tools/biztel-doctor/profile"
)

// defaultNATTimer is the page's "SIP通信のNATタイマー設定を"3600秒"" used when
// the loaded rules do not carry the value.
const defaultNATTimer = 3600

// renderer holds one rendering's state: the site's values and the running
// numbers handed out to {seq:GROUP} placeholders.
type renderer struct {
	c    *content.Content
	v    content.Vendor
	p    *profile.Profile
	lang content.Lang
	opts map[string]bool
	vars map[string]string
	stun []string         // STUN destinations: the CIDR, else each host
	seq  map[string][]int // numbers given out per group, for {list:GROUP:PREFIX}
}

func newRenderer(c *content.Content, v content.Vendor, p *profile.Profile, lang content.Lang) *renderer {
	r := &renderer{c: c, v: v, p: p, lang: lang, opts: p.OptionSet(), seq: map[string][]int{}}
	r.vars = p.Vars(string(lang))
	timer := c.Rules.NATTimerSeconds
	if timer == 0 {
		timer = defaultNATTimer
	}
	r.vars["nat_timer"] = strconv.Itoa(timer)
	r.vars["nat_timer_min"] = strconv.Itoa(timer / 60)
	r.vars["nat_timer_hms"] = fmt.Sprintf("%d:%02d:%02d", timer/3600, timer%3600/60, timer%60)
	switch {
	case p.STUN.CIDR != "":
		r.stun = []string{p.STUN.CIDR}
	default:
		seen := map[string]bool{}
		for _, e := range p.STUNEntries() {
			if !seen[e.Host] {
				seen[e.Host] = true
				r.stun = append(r.stun, e.Host)
			}
		}
	}
	if len(r.stun) == 0 {
		r.stun = []string{r.vars["stun_dest"]} // the "where to find it" marker
	}
	return r
}

// applies reports whether a block's condition holds for the site.
func (r *renderer) applies(w content.SnippetCondition) bool {
	if w.VPN != nil && *w.VPN != r.p.VPN() {
		return false
	}
	if len(w.Options) == 0 {
		return true
	}
	for _, o := range w.Options {
		if r.opts[o] {
			return true
		}
	}
	return false
}

// block renders one template block into zero or more blocks.
func (r *renderer) block(b content.SnippetBlock) []Block {
	if !r.applies(b.When) {
		return nil
	}
	var rows []content.Requirement
	var rules []string
	for _, id := range b.Implements {
		if row, ok := r.c.Requirement(id); ok {
			if row.AppliesTo(r.opts) && (!b.QoSOnly || row.QoS) {
				rows = append(rows, row)
			}
			continue
		}
		rules = append(rules, id)
	}
	hasRows := len(rules) < len(b.Implements)
	if hasRows && len(rows) == 0 {
		return nil // every row it implements is off for this site
	}
	if !b.PerRow {
		ids := append([]string{}, rules...)
		for _, row := range rows {
			ids = append(ids, row.ID)
		}
		return []Block{r.instance(b, ids, nil, "", "")}
	}
	var out []Block
	for _, row := range rows {
		dests := r.dests(row)
		for i, dest := range dests {
			ids := append(append([]string{}, rules...), row.ID)
			suffix := "" // object and rule names stay unique when a row has several destinations
			if len(dests) > 1 {
				suffix = "-" + strconv.Itoa(i+1)
			}
			out = append(out, r.instance(b, ids, &row, dest, suffix))
		}
	}
	return out
}

// instance fills one block with the site's (and, per row, the row's) values.
func (r *renderer) instance(b content.SnippetBlock, ids []string, row *content.Requirement, dest, nameSuffix string) Block {
	vars := r.vars
	var ranges []content.PortRange
	commented := b.Commented
	if row != nil {
		vars = r.rowVars(*row, dest)
		vars["name"] += nameSuffix
		ranges = rowPorts(*row)
		if len(ranges) == 0 {
			// The table gives no port for this row (e.g. a row that defers to
			// another vendor's page): print the rule commented out with a
			// visible marker instead of a rule that matches every port.
			commented = true
		}
	}
	out := Block{Implements: ids, Source: b.Source, Unverified: b.Unverified, Commented: commented,
		Comment: fill(b.Comment.In(r.lang), vars), Unconfirmed: b.Unconfirmed.In(r.lang)}
	for _, line := range strings.Split(strings.TrimRight(b.Text, "\n"), "\n") {
		expanded := []string{line}
		if row != nil && perRangeRE().MatchString(line) {
			expanded = expanded[:0]
			for _, pr := range ranges {
				expanded = append(expanded, fill(line, rangeVars(pr)))
			}
			if len(ranges) == 0 {
				expanded = append(expanded, fill(line, r.noPortVars()))
			}
		}
		for _, l := range expanded {
			l = r.numbers(fill(l, vars))
			if commented && strings.TrimSpace(l) != "" {
				l = r.v.Comment + " " + l
			}
			out.Lines = append(out.Lines, l)
		}
	}
	return out
}

var (
	perRangeRE = lazyregexp.New(`\{port(_from|_to|_ios|_colon)?\}`)
	seqRE      = lazyregexp.New(`\{seq:([a-z0-9_]+)\}`)
	listRE     = lazyregexp.New(`\{list:([a-z0-9_]+):([^}]*)\}`)
)

// numbers hands out {seq:GROUP} numbers and expands {list:GROUP:PREFIX} to
// every number given out so far in that group.
func (r *renderer) numbers(line string) string {
	line = seqRE().ReplaceAllStringFunc(line, func(m string) string {
		g := seqRE().FindStringSubmatch(m)[1]
		n := len(r.seq[g]) + 1
		r.seq[g] = append(r.seq[g], n)
		return fmt.Sprintf("%02d", n)
	})
	return listRE().ReplaceAllStringFunc(line, func(m string) string {
		sm := listRE().FindStringSubmatch(m)
		var parts []string
		for _, n := range r.seq[sm[1]] {
			parts = append(parts, fmt.Sprintf("%s%02d", sm[2], n))
		}
		return strings.Join(parts, " ")
	})
}

// rowPorts is what a row's rule matches on: its destination ports, or for
// WAN→LAN rows (any destination port) the BIZTEL server's source ports.
func rowPorts(row content.Requirement) []content.PortRange {
	if len(row.Ports) > 0 {
		return row.Ports
	}
	return row.SourcePorts
}

// RemoteRole is the role of the far end of a row: the destination, or for
// rows whose destination is on the customer side (the router, the app) the
// source.
func RemoteRole(row content.Requirement) string {
	switch row.DestRole {
	case content.RoleRouterGlobal, content.RoleUniApp, content.RoleSoftphone, content.RoleHardphone,
		content.RoleWebRTC, content.RoleFTPClient, "":
		return row.SourceRole
	}
	return row.DestRole
}

// dests lists the addresses a row's rule names.
func (r *renderer) dests(row content.Requirement) []string {
	switch RemoteRole(row) {
	case content.RoleServer:
		return []string{r.vars["server_ip"]}
	case content.RoleSTUN:
		return r.stun
	case content.RoleRecording:
		return []string{r.vars["recording"]}
	case content.RoleNTP:
		return []string{r.vars["ntp"]}
	case content.RoleUniConnect, content.RoleUniApp:
		return []string{r.vars["uniconnect"]}
	}
	return []string{"<" + RemoteRole(row) + ">"}
}

// rowVars adds a row's and a destination's placeholders to the site's.
func (r *renderer) rowVars(row content.Requirement, dest string) map[string]string {
	vars := make(map[string]string, len(r.vars)+24)
	for k, v := range r.vars {
		vars[k] = v
	}
	ports := rowPorts(row)
	strs := make([]string, len(ports))
	for i, p := range ports {
		strs[i] = p.String()
	}
	if len(strs) == 0 {
		strs = []string{r.noPortVars()["port"]}
	}
	nft := strings.Join(strs, ", ")
	if len(strs) > 1 {
		nft = "{ " + nft + " }"
	}
	protoNum := "17"
	if row.Transport == "tcp" {
		protoNum = "6"
	}
	vars["row"] = row.ID
	vars["row_n"] = strconv.Itoa(row.Number)
	// the page names no protocol for ⑩ (it defers to Apple's page): name
	// the row's item instead, so the comment never reads "（TCP 8000）"
	vars["what"] = row.Protocol
	if vars["what"] == "" {
		vars["what"] = row.Item.En
	}
	vars["proto"] = row.Transport
	vars["PROTO"] = strings.ToUpper(row.Transport)
	vars["proto_num"] = protoNum
	vars["name"] = "BIZTEL-" + strings.ToUpper(row.ID)
	vars["ports"] = strings.Join(strs, ",")
	vars["ports_space"] = strings.Join(strs, " ")
	vars["ports_nft"] = nft
	// DSCP for the QoS lines: EF for media, CS3 for call signalling (RFC 4594
	// §4.2 and §4.3); the page asks for port-based priority, not a codepoint.
	vars["dscp"], vars["dscp_num"], vars["dscp_bits"] = "cs3", "24", "011000"
	if strings.Contains(row.Protocol, "RTP") {
		vars["dscp"], vars["dscp_num"], vars["dscp_bits"] = "ef", "46", "101110"
	}
	for k, v := range addrForms(dest) {
		vars[k] = v
	}
	return vars
}

// rangeVars are the per-port-range placeholders; a line using them is
// repeated for each range of the row.
func rangeVars(pr content.PortRange) map[string]string {
	ios, colon := "eq "+strconv.Itoa(pr.From), strconv.Itoa(pr.From)
	if pr.From != pr.To {
		ios = fmt.Sprintf("range %d %d", pr.From, pr.To)
		colon = fmt.Sprintf("%d:%d", pr.From, pr.To)
	}
	return map[string]string{
		"port": pr.String(), "port_from": strconv.Itoa(pr.From), "port_to": strconv.Itoa(pr.To),
		"port_ios": ios, "port_colon": colon,
	}
}

// addrForms renders an address or CIDR in the notations the vendors use. A
// value that is not an IPv4 address (a host name, a "where to find it"
// marker) is passed through unchanged so it stays visible.
func addrForms(dest string) map[string]string {
	f := map[string]string{"dest": dest, "dest_cidr": dest, "dest_ip": dest, "dest_mask": dest,
		"dest_wild": dest, "dest_len": "32", "dest_ios": dest, "dest_asa": dest}
	pfx, err := netip.ParsePrefix(dest)
	if err != nil {
		a, aerr := netip.ParseAddr(dest)
		if aerr != nil || !a.Is4() {
			return f
		}
		pfx = netip.PrefixFrom(a, 32)
	}
	if !pfx.Addr().Is4() {
		return f
	}
	pfx = pfx.Masked()
	bits := pfx.Bits()
	mask := uint32(0xffffffff) << (32 - bits)
	if bits == 0 {
		mask = 0
	}
	ip := pfx.Addr().String()
	f["dest_cidr"] = pfx.String()
	f["dest_ip"] = ip
	f["dest_mask"] = dotted(mask)
	f["dest_wild"] = dotted(^mask)
	f["dest_len"] = strconv.Itoa(bits)
	if bits == 32 {
		f["dest_ios"] = "host " + ip
		f["dest_asa"] = "host " + ip
	} else {
		f["dest_ios"] = ip + " " + dotted(^mask)
		f["dest_asa"] = ip + " " + dotted(mask)
	}
	return f
}

func dotted(m uint32) string {
	return fmt.Sprintf("%d.%d.%d.%d", m>>24, m>>16&0xff, m>>8&0xff, m&0xff)
}

// fill replaces each {name} whose name is in vars, in one pass; other braces
// ({seq:…}, {list:…}, nft's "{ type … }") are left as they are.
func fill(s string, vars map[string]string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		if v, ok := vars[s[i+1:i+j]]; ok {
			b.WriteString(s[:i])
			b.WriteString(v)
		} else {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		s = s[i+j+1:]
	}
}

// noPortVars fills the port placeholders of a row that has no port with a
// marker saying so, so the gap shows instead of an empty field.
func (r *renderer) noPortVars() map[string]string {
	m := content.T("〈ポート: 要件表の注記を参照〉", "<PORT: see the row's notes on the page>").In(r.lang)
	return map[string]string{"port": m, "port_from": m, "port_to": m, "port_ios": m, "port_colon": m}
}
