package content

import "strings"

// FactLabel is the label of an evidence (fact) key: ui text "fact.<key>",
// or for keys built at run time (one per server, per port …) the longest
// pattern "factpat.<prefix>" whose prefix the key starts with, the rest of
// the key appended ("stun_198.51.100.20" → "STUN 198.51.100.20").
func (c *Content) FactLabel(key string) (Text, bool) {
	if t, ok := c.UI["fact."+key]; ok {
		return t, true
	}
	best := ""
	for k := range c.UI {
		if p, ok := strings.CutPrefix(k, "factpat."); ok && strings.HasPrefix(key, p) && len(p) > len(best) {
			best = p
		}
	}
	if best == "" {
		return Text{}, false
	}
	t := c.UI["factpat."+best]
	rest := strings.TrimLeft(key[len(best):], "_.")
	return Text{Ja: t.Ja + " " + rest, En: t.En + " " + rest}, true
}
