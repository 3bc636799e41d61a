package hostinfo

import (
	"strconv"
	"strings"
)

// This file parses Windows `netsh wlan show interfaces`. It is untagged so
// its tests run on every OS against captured outputs in testdata/hostinfo.
// netsh localises its keys and values (English, Japanese and Simplified
// Chinese are parsed); the caller converts the console code page (CP932 on
// Japanese Windows) to UTF-8 first.

// wlanInterface is one interface block of `netsh wlan show interfaces`.
// Empty strings mean "not shown".
type wlanInterface struct {
	Name        string // the connection's friendly name (as in net.Interface.Name)
	Description string // adapter model
	State       string // as printed (localised)
	Connected   bool
	SSID        string
	BSSID       string
	RadioType   string // 802.11ax …
	Band        string // "5 GHz" (Windows 11)
	Channel     string
	ReceiveMbps string
	SendMbps    string
	// SignalPercent is Windows' 0-100 signal quality; -1 when not shown.
	SignalPercent int
	// RSSI is in dBm (Windows 11 prints it); 0 when not shown.
	RSSI int
}

// netshWlan is the whole output.
type netshWlan struct {
	Interfaces []wlanInterface
	// NeedsLocation: Windows 11 24H2 and later hide WLAN details until the
	// user allows location access; signal is then unknown, not zero.
	NeedsLocation bool
}

// netshKeys maps the English, Japanese and Simplified Chinese keys to one
// name. Keys are compared after netshKeyNorm, so "Receive rate (Mbps)" and
// "接收速率(Mbps)" (Chinese Windows prints no space there) both match.
// "帯域" for the band is from another project's Japanese test data, not a
// capture; it only labels a fact, so a wrong guess costs nothing.
var netshKeys = normNetshKeys(map[string]string{
	"name": "name", "名前": "name", "名称": "name",
	"description": "description", "説明": "description", "描述": "description",
	"state": "state", "状態": "state", "状态": "state",
	"ssid":  "ssid",
	"bssid": "bssid", "ap bssid": "bssid",
	"radio type": "radio", "無線の種類": "radio", "无线电类型": "radio",
	"band": "band", "バンド": "band", "帯域": "band",
	"channel": "channel", "チャネル": "channel", "チャンネル": "channel", "信道": "channel",
	"receive rate (mbps)": "rx", "受信速度 (mbps)": "rx", "接收速率 (mbps)": "rx",
	"transmit rate (mbps)": "tx", "送信速度 (mbps)": "tx", "传输速率 (mbps)": "tx",
	"signal": "signal", "シグナル": "signal", "信号": "signal",
	"rssi": "rssi",
})

// netshKeyNorm lowercases a key and drops its spaces: localisations differ
// in spacing ("接收速率(Mbps)" next to "传输速率 (Mbps)" in one output).
func netshKeyNorm(k string) string {
	return strings.ToLower(strings.Join(strings.Fields(k), ""))
}

func normNetshKeys(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[netshKeyNorm(k)] = v
	}
	return out
}

// netshConnected are the State values meaning connected.
var netshConnected = map[string]bool{"connected": true, "接続されました": true, "接続済み": true, "已连接": true}

func parseNetshWlan(out string) netshWlan {
	var res netshWlan
	lower := strings.ToLower(out)
	if strings.Contains(lower, "location permission") || strings.Contains(out, "位置情報") {
		res.NeedsLocation = true
	}
	var cur *wlanInterface
	for _, line := range strings.Split(strings.ReplaceAll(out, "\r\n", "\n"), "\n") {
		key, value, ok := netshField(line)
		if !ok {
			continue
		}
		name, known := netshKeys[netshKeyNorm(key)]
		if !known {
			continue
		}
		if name == "name" {
			res.Interfaces = append(res.Interfaces, wlanInterface{Name: value, SignalPercent: -1})
			cur = &res.Interfaces[len(res.Interfaces)-1]
			continue
		}
		if cur == nil {
			continue
		}
		switch name {
		case "description":
			cur.Description = value
		case "state":
			cur.State = value
			cur.Connected = netshConnected[strings.ToLower(value)]
		case "ssid":
			cur.SSID = value
		case "bssid":
			cur.BSSID = value
		case "radio":
			cur.RadioType = value
		case "band":
			cur.Band = value
		case "channel":
			cur.Channel = value
		case "rx":
			cur.ReceiveMbps = value
		case "tx":
			cur.SendMbps = value
		case "signal":
			if n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(value, "%"))); err == nil && n >= 0 && n <= 100 {
				cur.SignalPercent = n
			}
		case "rssi":
			if n, err := strconv.Atoi(value); err == nil && n < 0 && n > -130 {
				cur.RSSI = n
			}
		}
	}
	return res
}

// netshField splits "    Key      : value" at the first colon (ASCII or
// full-width); keys never contain one, values (BSSID) may.
func netshField(line string) (key, value string, ok bool) {
	i := strings.IndexAny(line, ":：")
	if i <= 0 {
		return "", "", false
	}
	sep := 1
	if strings.HasPrefix(line[i:], "：") {
		sep = len("：")
	}
	key = strings.TrimSpace(line[:i])
	value = strings.TrimSpace(line[i+sep:])
	return key, value, key != ""
}

// find returns the interface with that friendly name.
func (w netshWlan) find(name string) (wlanInterface, bool) {
	for _, it := range w.Interfaces {
		if strings.EqualFold(it.Name, name) {
			return it, true
		}
	}
	return wlanInterface{}, false
}

// details turns a parsed interface into net.link facts: signal_percent and
// signal_dbm as printed, or signal "unknown" when Windows hides both.
func (it wlanInterface) details(needsLocation bool) map[string]string {
	d := map[string]string{"wifi_source": "netsh wlan show interfaces"}
	put := func(k, v string) {
		if v != "" {
			d[k] = v
		}
	}
	put("wifi_state", it.State)
	put("ssid", it.SSID)
	put("bssid", it.BSSID)
	put("radio", it.RadioType)
	put("band", it.Band)
	put("channel", it.Channel)
	put("rx_mbps", it.ReceiveMbps)
	put("tx_mbps", it.SendMbps)
	if it.SignalPercent >= 0 {
		d["signal_percent"] = strconv.Itoa(it.SignalPercent)
	}
	if it.RSSI != 0 {
		d["signal_dbm"] = strconv.Itoa(it.RSSI)
	}
	if it.SignalPercent < 0 && it.RSSI == 0 {
		d["signal"] = "unknown" // never a number the tool did not print
	}
	if needsLocation && it.SignalPercent < 0 {
		d["signal_note"] = locationNote
	}
	return d
}

// locationNote tells the technician why Windows hides the signal.
const locationNote = "Windows shows Wi-Fi details only with location access allowed (Settings > Privacy & security > Location)"

// netshWifiDetails turns one run of `netsh wlan show interfaces` (its
// UTF-8 output and error) into the facts of iface. Every failure is
// "unknown", never a guessed number.
func netshWifiDetails(out string, runErr error, iface string) map[string]string {
	if runErr != nil && strings.TrimSpace(out) == "" {
		return map[string]string{"signal": "unknown", "wifi_error": runErr.Error()}
	}
	w := parseNetshWlan(out)
	if it, ok := w.find(iface); ok {
		return it.details(w.NeedsLocation)
	}
	d := map[string]string{"signal": "unknown"}
	if w.NeedsLocation {
		d["signal_note"] = locationNote
	}
	return d
}
