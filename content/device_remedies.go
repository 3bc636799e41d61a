package content

// DeviceRemedies maps every remedy that is a change on the customer's
// router or firewall to what a vendor template implements for it:
// requirement rows (lan-wan-N, wan-lan-N) or SnippetRules ids. Step 7 of
// the TUI and the report's vendor section show these blocks first when the
// remedy is among the site's findings. Every vendor template has a block
// for each id, or says in not_applicable why the device has none
// (TestEveryDeviceRemedyIsCoveredByEveryVendor).
var DeviceRemedies = map[string][]string{
	"allow-sip-udp":          {"lan-wan-1"},
	"allow-rtp":              {"lan-wan-2", "lan-wan-7"},
	"allow-stun":             {"lan-wan-3"},
	"allow-web-8000":         {"lan-wan-4"},
	"allow-ftps":             {"lan-wan-5"},
	"allow-sip-tls":          {"lan-wan-6"},
	"allow-sip-wss":          {"lan-wan-8"},
	"allow-ntp":              {"lan-wan-9"},
	"allow-uniconnect":       {"lan-wan-10", "lan-wan-11"},
	"allow-return-traffic":   {"wan-lan-1", "wan-lan-2", "wan-lan-3", "wan-lan-4", "wan-lan-5"},
	"open-inbound":           {"wan-lan-1", "wan-lan-2", "wan-lan-3", "wan-lan-4", "wan-lan-5"},
	"nat-timer-3600":         {"nat-timer"},
	"qos-sip-rtp":            {"qos"},
	"disable-upnp":           {"upnp-off"},
	"disable-sip-alg":        {"sip-alg-off"},
	"sip-app-override":       {"app-override"},
	"disable-ftp-alg":        {"ftp-alg-off"},
	"disable-tls-inspection": {"tls-inspection-off"},
	"hairpin-internal-calls": {"hairpin"},
	"allow-ip-fragments":     {"ip-fragments"},
}

// OtherRemedies are the remedies that are no router/firewall setting, with
// why: a new remedy must be put in one of the two maps (a content test
// says so), so none is silently left out of step 7.
var OtherRemedies = map[string]string{
	"use-wired":           "the line and the PC's connection",
	"ipv4-required":       "the line and the PC's addressing",
	"ipoe-fixed-ip":       "the provider's plan",
	"home-router-ports":   "the choice of line or home router",
	"avoid-cgnat":         "the provider's plan",
	"vpn-dns-private":     "DNS on the customer's network (VPN option)",
	"dns-mgmt-resolve":    "DNS on the customer's network",
	"remove-proxy":        "the PC's proxy settings or a separate proxy server",
	"bandwidth-200kbps":   "the line's capacity",
	"use-encrypted-sip":   "the softphone's settings",
	"tls-verify-hostname": "the site profile",
	"check-clock":         "the PC's clock",
	"split-tunnel-biztel": "the PC's VPN client",
}

// DeviceRules lists every id a vendor must cover for DeviceRemedies, in a
// stable order.
func DeviceRules() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range sortedKeys(DeviceRemedies) {
		for _, id := range DeviceRemedies[r] {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

func sortedKeys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// NotApplicable says why a vendor template has no block for a rule.
type NotApplicable struct {
	Rule    string `yaml:"rule"`    // a SnippetRules id (or requirement row)
	Because Text   `yaml:"because"` // why, in both languages
}
