package profile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/biztel-tools/biztel-doctor/content"
)

// MaxFileSize bounds a profile file; a real one is under 2 KB.
const MaxFileSize = 1 << 20

// Load reads, decodes and validates a profile file.
func Load(path string) (*Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Field: "--profile", Message: msgText("ファイルを開けません: %v", "cannot open the file: %v", err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &Error{File: path, Field: "--profile", Message: msgText("読み込めません: %v", "cannot read it: %v", err)}
	}
	if len(data) > MaxFileSize {
		return nil, &Error{File: path, Field: "--profile", Message: msgText("%d バイトを超えています。プロファイルではないようです", "larger than %d bytes; this is not a profile", MaxFileSize)}
	}
	p, err := Parse(data, path)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Parse decodes and validates profile YAML. name is used in messages.
func Parse(data []byte, name string) (*Profile, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(name, err)
	}
	var p Profile
	if len(root.Content) == 0 {
		return nil, &Error{File: name, Field: "server", Message: msgText("ファイルが空です。server.host か server.ip が必要です", "the file is empty; server.host or server.ip is required")}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(name, err)
	}
	if err := p.Validate(); err != nil {
		var pe *Error
		if errors.As(err, &pe) {
			pe.File = name
			pe.Line = lineOf(root.Content[0], pe.Field)
		}
		return nil, err
	}
	return &p, nil
}

var (
	yamlLineRE     = regexp.MustCompile(`line (\d+): (.*)`)
	unknownFieldRE = regexp.MustCompile(`field (\S+) not found in type profile\.(\w+)`)
	cannotUnmarsRE = regexp.MustCompile("cannot unmarshal !!(\\w+) `([^`]*)` into (\\S+)")
)

// knownKeys lists the keys each section accepts, for unknown-key messages.
var knownKeys = map[string]string{
	"Profile":    "server, stun, recording, uniconnect, ntp, reflector, vendor, options, channels, ftps, tls",
	"Server":     "host, ip, vpn_ip",
	"STUN":       "servers, cidr",
	"Endpoint":   "host, ip",
	"Reflector":  "addr, token",
	"Options":    "encryption, webrtc, hardphone, recording_download, uniconnect",
	"FTPS":       "user, password",
	"TLSPinning": "pin_sha256",
}

// yamlError turns a yaml.v3 error into one line naming the line and the key.
func yamlError(name string, err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n")
	msg = strings.TrimPrefix(msg, "yaml: ")
	first := strings.TrimSpace(strings.SplitN(msg, "\n", 2)[0])
	line := 0
	if m := yamlLineRE.FindStringSubmatch(first); m != nil {
		line, _ = strconv.Atoi(m[1])
		first = m[2]
	}
	if m := unknownFieldRE.FindStringSubmatch(first); m != nil {
		return &Error{File: name, Line: line, Field: m[1], Message: msgText(
			"不明なキーです（綴りを確認してください。使えるキー: %s）",
			"unknown key (check the spelling; known keys here: %s)", knownKeys[m[2]])}
	}
	if m := cannotUnmarsRE.FindStringSubmatch(first); m != nil {
		return &Error{File: name, Line: line, Field: m[2], Message: msgText(
			"値の型が違います（%s ではなく %s が必要です）",
			"wrong type of value (a %s where %s is expected)", m[1], m[3])}
	}
	return &Error{File: name, Line: line, Field: "yaml", Message: msgText(
		"YAML として読めません: %s", "not valid YAML: %s", first)}
}

// lineOf finds the line of a dotted field ("stun.servers[1]") in the document.
func lineOf(n *yaml.Node, field string) int {
	if n == nil {
		return 0
	}
	line := n.Line
	for _, part := range strings.Split(field, ".") {
		key, idx := part, -1
		if i := strings.IndexByte(part, '['); i >= 0 && strings.HasSuffix(part, "]") {
			key = part[:i]
			idx, _ = strconv.Atoi(part[i+1 : len(part)-1])
		}
		next := mapValue(n, key)
		if next == nil {
			return line
		}
		n, line = next, next.Line
		if idx >= 0 && n.Kind == yaml.SequenceNode && idx < len(n.Content) {
			n, line = n.Content[idx], n.Content[idx].Line
		}
	}
	return line
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func msgText(ja, en string, args ...any) content.Text { return content.Tf(ja, en, args...) }
