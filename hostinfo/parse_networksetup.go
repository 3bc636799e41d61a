package hostinfo

import (
	"strings"

	"github.com/biztel-tools/biztel-doctor/internal/lazyregexp"
)

// Parsers for macOS `networksetup -listallhardwareports` and
// `system_profiler SPAirPortDataType`. Untagged so they are tested on every
// OS against testdata/hostinfo.

// parseHardwarePorts maps each device (en0) to its hardware port name
// ("Wi-Fi", "Ethernet", "USB 10/100/1000 LAN", …).
func parseHardwarePorts(out string) map[string]string {
	ports := map[string]string{}
	var port string
	for _, line := range strings.Split(out, "\n") {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(key) {
		case "Hardware Port":
			port = value
		case "Device":
			if port != "" && value != "" {
				ports[value] = port
			}
			port = ""
		}
	}
	return ports
}

// airportSignal matches "Signal / Noise: -67 dBm / -92 dBm" in any UI
// language (the key is localised, the value is not).
var airportSignal = lazyregexp.New(`(-\d{1,3}) dBm / (-\d{1,3}) dBm`)

// airportInfo is the current network of one interface in
// `system_profiler SPAirPortDataType`; empty fields were not shown.
type airportInfo struct {
	Status    string
	Network   string // SSID; "<redacted>" without location permission
	PHYMode   string
	Channel   string
	SignalDBm string
	NoiseDBm  string
	TxRate    string // Mbps
}

// parseAirport reads the block of device (en0). It relies on indentation:
// the device line, then "Current Network Information:" one level deeper,
// then the network name, then its fields; the next sibling block (Other
// Local Wi-Fi Networks) ends it. ok is false when the device is absent.
func parseAirport(out, device string) (info airportInfo, ok bool) {
	lines := strings.Split(out, "\n")
	devIndent := -1
	inCurrent, currentIndent, fieldIndent := false, -1, -1
	for _, line := range lines {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if devIndent < 0 {
			if trimmed == device+":" {
				devIndent, ok = indent, true
			}
			continue
		}
		if indent <= devIndent {
			break // next device
		}
		key, value, _ := strings.Cut(trimmed, ":")
		value = strings.TrimSpace(value)
		if !inCurrent {
			switch {
			case key == "Status" || key == "状況" || key == "状態":
				info.Status = value
			case strings.HasPrefix(key, "Current Network Information") || strings.HasPrefix(key, "現在のネットワーク情報"):
				inCurrent, currentIndent = true, indent
			}
			continue
		}
		if indent <= currentIndent {
			break // "Other Local Wi-Fi Networks" or the next field of the device
		}
		if info.Network == "" && fieldIndent < 0 && value == "" && strings.HasSuffix(trimmed, ":") {
			info.Network = strings.TrimSuffix(trimmed, ":")
			fieldIndent = indent
			continue
		}
		if fieldIndent >= 0 && indent <= fieldIndent {
			break // a second network under Current: not expected
		}
		switch {
		case airportSignal().MatchString(value):
			m := airportSignal().FindStringSubmatch(value)
			info.SignalDBm, info.NoiseDBm = m[1], m[2]
		case strings.HasPrefix(key, "PHY"):
			info.PHYMode = value
		case key == "Channel" || key == "チャンネル":
			info.Channel = value
		case key == "Transmit Rate" || key == "転送レート":
			info.TxRate = value
		}
	}
	return info, ok
}

// details turns the current network into net.link facts.
func (a airportInfo) details() map[string]string {
	d := map[string]string{"wifi_source": "system_profiler SPAirPortDataType"}
	put := func(k, v string) {
		if v != "" {
			d[k] = v
		}
	}
	put("wifi_state", a.Status)
	if a.Network != "<redacted>" {
		put("ssid", a.Network)
	}
	put("radio", a.PHYMode)
	put("channel", a.Channel)
	put("tx_mbps", a.TxRate)
	put("noise_dbm", a.NoiseDBm)
	if a.SignalDBm != "" {
		d["signal_dbm"] = a.SignalDBm
	} else {
		d["signal"] = "unknown"
	}
	return d
}
