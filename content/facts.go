package content

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// FactLabel is the label of an evidence (fact) key: ui text "fact.<key>",
// or for keys built at run time (one per server, per port …) the longest
// pattern "factpat.<prefix>" whose prefix the key starts with, the rest of
// the key appended ("stun_198.51.100.20" → "STUN 198.51.100.20").
func (c *Content) FactLabel(key string) (Text, bool) {
	if t, ok := c.UI["fact."+key]; ok {
		return t, true
	}
	best := c.factPattern(key)
	if best == "" {
		return Text{}, false
	}
	t := c.UI["factpat."+best]
	rest := strings.TrimLeft(key[len(best):], "_.")
	return Text{Ja: t.Ja + " " + rest, En: t.En + " " + rest}, true
}

// FactValue is an evidence value in people's words, from the ui texts
// "factval.<selector>=<value>". The selector is the fact key itself; or,
// for a key built at run time, the factpat prefix its label comes from
// ("tcp" for "tcp.INVITE"); or "*<suffix>" for words every key ending in
// suffix shares (a TCP attempt's class under result, data_result, …).
// A value with {name} placeholders matches any text there and fills it
// into both languages ("sample of {n} ports"). The JSON keeps raw values;
// only screens and prose translate them.
func (c *Content) FactValue(key, value string) (Text, bool) {
	idx := c.factValueIndex()
	sels := []string{key}
	if p := c.factPattern(key); p != "" {
		sels = append(sels, p)
	}
	for suffix := range idx.suffixes {
		if strings.HasSuffix(key, suffix) {
			sels = append(sels, "*"+suffix)
		}
	}
	for _, sel := range sels {
		for _, r := range idx.rules[sel] {
			if t, ok := r.match(value); ok {
				return t, true
			}
		}
	}
	return Text{}, false
}

// factPattern is the longest factpat prefix key starts with ("" when none).
func (c *Content) factPattern(key string) string {
	for _, p := range c.factValueIndex().patterns { // longest first
		if strings.HasPrefix(key, p) {
			return p
		}
	}
	return ""
}

type factValueRule struct {
	exact string         // the raw value, when it has no placeholders
	re    *regexp.Regexp // else the value with each {name} as a group
	names []string
	text  Text
}

func (r factValueRule) match(v string) (Text, bool) {
	if r.re == nil {
		return r.text, v == r.exact
	}
	m := r.re.FindStringSubmatch(v)
	if m == nil {
		return Text{}, false
	}
	vars := map[string]string{}
	for i, n := range r.names {
		vars[n] = m[i+1]
	}
	return r.text.Fill(vars), true
}

type factValues struct {
	rules    map[string][]factValueRule // by selector
	suffixes map[string]bool            // the "*suffix" selectors
	patterns []string                   // the factpat prefixes, longest first
}

var (
	factValueMu    sync.Mutex
	factValueCache = map[*Content]*factValues{}
)

// factValueIndex parses the factval texts and the factpat prefixes once
// per Content (screens ask for every label and value on every frame).
func (c *Content) factValueIndex() *factValues {
	factValueMu.Lock()
	defer factValueMu.Unlock()
	if idx, ok := factValueCache[c]; ok {
		return idx
	}
	idx := &factValues{rules: map[string][]factValueRule{}, suffixes: map[string]bool{}}
	for k, t := range c.UI {
		if p, ok := strings.CutPrefix(k, "factpat."); ok {
			idx.patterns = append(idx.patterns, p)
		}
		sel, value, ok := parseFactValueKey(k)
		if !ok {
			continue
		}
		r := factValueRule{exact: value, text: t}
		if names := Placeholders(value); len(names) > 0 {
			r.names = names
			r.re = regexp.MustCompile("^" + factValueHole.ReplaceAllString(regexp.QuoteMeta(value), "(.+?)") + "$")
		}
		idx.rules[sel] = append(idx.rules[sel], r)
		if s, ok := strings.CutPrefix(sel, "*"); ok {
			idx.suffixes[s] = true
		}
	}
	sort.Slice(idx.patterns, func(i, j int) bool {
		if len(idx.patterns[i]) != len(idx.patterns[j]) {
			return len(idx.patterns[i]) > len(idx.patterns[j])
		}
		return idx.patterns[i] < idx.patterns[j]
	})
	for _, rs := range idx.rules { // exact words before patterns, then by value: a stable choice
		sort.SliceStable(rs, func(i, j int) bool {
			if (rs[i].re == nil) != (rs[j].re == nil) {
				return rs[i].re == nil
			}
			return rs[i].exact < rs[j].exact
		})
	}
	factValueCache[c] = idx
	return idx
}

// factValueHole is a {name} placeholder after regexp.QuoteMeta.
var factValueHole = regexp.MustCompile(`\\\{[a-z_]+\\\}`)

// parseFactValueKey splits "factval.<selector>=<value>".
func parseFactValueKey(k string) (sel, value string, ok bool) {
	rest, ok := strings.CutPrefix(k, "factval.")
	if !ok {
		return "", "", false
	}
	sel, value, ok = strings.Cut(rest, "=")
	return sel, value, ok && sel != "" && value != ""
}

// validateFactValues: every factval key parses, and its ja and en use
// exactly the placeholders of its raw value.
func (c *Content) validateFactValues() []error {
	var errs []error
	for k, t := range c.UI {
		if !strings.HasPrefix(k, "factval.") {
			continue
		}
		sel, value, ok := parseFactValueKey(k)
		if !ok {
			errs = append(errs, fmt.Errorf("ui[%s]: a fact value key is factval.<fact>=<value>", k))
			continue
		}
		if _, labelled := c.FactLabel(sel); !strings.HasPrefix(sel, "*") && !labelled {
			errs = append(errs, fmt.Errorf("ui[%s]: %q is no fact with a label (fact.%s or factpat.%s)", k, sel, sel, sel))
		}
		want := Placeholders(value)
		for _, got := range [][]string{Placeholders(t.Ja), Placeholders(t.En)} {
			if !slices.Equal(sortedCopy(got), sortedCopy(want)) {
				errs = append(errs, fmt.Errorf("ui[%s]: ja and en must use the value's placeholders %v (ja %q, en %q)", k, want, t.Ja, t.En))
				break
			}
		}
	}
	return errs
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}
