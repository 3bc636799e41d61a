package monitor

import "github.com/biztel-tools/biztel-doctor/content"

// tx is one of the monitor's texts (content/data/ui_monitor.yaml) in both
// languages, {placeholders} filled from vars (name, value, …).
func tx(key string, vars ...string) content.Text {
	t, ok := content.MustLoad().UI[key]
	if !ok {
		return content.T(key, key) // a missing key stays visible; TestTextsExist fails on it
	}
	if len(vars) > 1 {
		m := map[string]string{}
		for i := 0; i+1 < len(vars); i += 2 {
			m[vars[i]] = vars[i+1]
		}
		t = t.Fill(m)
	}
	return t
}
