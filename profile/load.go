package profile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/biztel-tools/biztel-doctor/content"
	"github.com/biztel-tools/biztel-doctor/internal/lazyregexp"
)

// MaxFileSize bounds a profile file; a real one is under 2 KB.
const MaxFileSize = 1 << 20

// Load reads, decodes and validates a profile file.
func Load(path string) (*Profile, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, path)
}

// readFile reads a profile file, bounded by MaxFileSize.
func readFile(path string) ([]byte, error) {
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
	return data, nil
}

// Parse decodes and validates profile YAML. name is used in messages.
func Parse(data []byte, name string) (*Profile, error) {
	p, root, err := decode(data, name)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, errEmpty(name)
	}
	if err := p.Validate(); err != nil {
		return nil, locate(err, name, root)
	}
	return p, nil
}

func errEmpty(name string) *Error {
	return &Error{File: name, Field: "server", Message: msgText("ファイルが空です。server.host か server.ip が必要です", "the file is empty; server.host or server.ip is required")}
}

// decode reads profile YAML strictly without validating it (flags may still
// complete it). root is the top mapping, nil for an empty document.
func decode(data []byte, name string) (*Profile, *yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, yamlError(name, err, nil)
	}
	p := &Profile{}
	if len(doc.Content) == 0 {
		return p, nil, nil
	}
	root := doc.Content[0]
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, yamlError(name, err, root)
	}
	// a second document ("---") would be ignored silently
	if err := dec.Decode(new(yaml.Node)); !errors.Is(err, io.EOF) {
		return nil, nil, &Error{File: name, Field: "---", Message: msgText(
			"YAML の文書が複数あります（---）。プロファイルは 1 文書にしてください",
			"the file holds more than one YAML document (---); a profile is one document")}
	}
	return p, root, nil
}

// locate adds the file and the line of the field to a validation error.
func locate(err error, name string, root *yaml.Node) error {
	var pe *Error
	if errors.As(err, &pe) {
		pe.File = name
		pe.Line = lineOf(root, pe.Field)
	}
	return err
}

var (
	yamlLineRE     = lazyregexp.New(`line (\d+): (.*)`)
	unknownFieldRE = lazyregexp.New(`field (\S+) not found in type profile\.(\w+)`)
	cannotUnmarsRE = lazyregexp.New("cannot unmarshal !!(\\w+) `([^`]*)` into (\\S+)")
	// a sequence or mapping where a scalar belongs has no value in the message
	cannotUnmarsNoValRE = lazyregexp.New("cannot unmarshal !!(\\w+) into (\\S+)")
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

// yamlError turns a yaml.v3 error into one line naming the line and the key
// (as a dotted path, found in root by its line when root is known).
func yamlError(name string, err error, root *yaml.Node) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n")
	msg = strings.TrimPrefix(msg, "yaml: ")
	first := strings.TrimSpace(strings.SplitN(msg, "\n", 2)[0])
	line := 0
	if m := yamlLineRE().FindStringSubmatch(first); m != nil {
		line, _ = strconv.Atoi(m[1])
		first = m[2]
	}
	if m := unknownFieldRE().FindStringSubmatch(first); m != nil {
		field := pathAt(root, "", func(k, _ *yaml.Node) bool { return k.Line == line && k.Value == m[1] })
		if field == "" {
			field = m[1]
		}
		return &Error{File: name, Line: line, Field: field, Message: msgText(
			"不明なキーです（綴りを確認してください。使えるキー: %s）",
			"unknown key (check the spelling; known keys here: %s)", knownKeys[m[2]])}
	}
	if m := cannotUnmarsRE().FindStringSubmatch(first); m != nil {
		field := pathAt(root, "", func(_, v *yaml.Node) bool { return v.Line == line && v.Value == m[2] })
		if field == "" {
			field = m[2]
		}
		return &Error{File: name, Line: line, Field: field, Message: msgText(
			"値 %q の型が違います（%s ではなく %s が必要です）",
			"wrong type of value %q (a %s where %s is expected)", m[2], m[1], m[3])}
	}
	if m := cannotUnmarsNoValRE().FindStringSubmatch(first); m != nil && line > 0 {
		field := pathAt(root, "", func(_, v *yaml.Node) bool { return v.Line == line && v.Kind != yaml.ScalarNode })
		if field != "" {
			return &Error{File: name, Line: line, Field: field, Message: msgText(
				"値の形が違います（%s ではなく %s が必要です）",
				"wrong kind of value (a %s where %s is expected)", m[1], m[2])}
		}
	}
	return &Error{File: name, Line: line, Field: "yaml", Message: msgText(
		"YAML として読めません: %s", "not valid YAML: %s", first)}
}

// pathAt returns the dotted path ("stun.servers[1]") of the deepest, first
// mapping entry under n for which match holds, or "".
func pathAt(n *yaml.Node, prefix string, match func(key, val *yaml.Node) bool) string {
	if n == nil {
		return ""
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if prefix != "" {
				p = prefix + "." + k.Value
			}
			if found := pathAt(v, p, match); found != "" {
				return found // the deepest match names the field best
			}
			if match(k, v) {
				return p
			}
		}
	case yaml.SequenceNode:
		for i, e := range n.Content {
			p := fmt.Sprintf("%s[%d]", prefix, i)
			if e.Kind == yaml.ScalarNode && match(e, e) {
				return p
			}
			if found := pathAt(e, p, match); found != "" {
				return found
			}
		}
	}
	return ""
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
