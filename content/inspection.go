package content

import "strings"

// InspectionFor returns the TLS-inspection product whose match strings occur
// in a certificate issuer (its O, OU and CN joined as the caller likes),
// compared case-insensitively.
func (c *Content) InspectionFor(issuer string) (InspectionProduct, bool) {
	lower := strings.ToLower(issuer)
	for _, p := range c.Inspection {
		for _, m := range p.Match {
			if m != "" && strings.Contains(lower, strings.ToLower(m)) {
				return p, true
			}
		}
	}
	return InspectionProduct{}, false
}
