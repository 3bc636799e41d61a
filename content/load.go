package content

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed data
var files embed.FS

// Content is every embedded data file, decoded and cross-checked.
type Content struct {
	Checks       []CheckInfo             // the check catalog, in display order
	Requirements []Requirement           // both port tables, LAN→WAN then WAN→LAN
	Rules        Rules                   // NAT timer, QoS, recommended line, criteria, NGFW/UTM cases
	Remedies     []Remedy                // one per thing a customer can change
	Thresholds   Thresholds              // call-quality limits
	Inspection   []InspectionProduct     // TLS inspection products recognised by certificate issuer
	UI           map[string]Text         // labels for screens and reports
	Extra        map[string][]*yaml.Node // kinds registered by other files (decision tree, vendors …), raw
}

// kindDecoder decodes one file of a kind into c.
type kindDecoder func(c *Content, doc *yaml.Node) error

var (
	kindsMu sync.Mutex
	kinds   = map[string]kindDecoder{}
)

// registerKind makes the loader understand files whose top-level "kind" is name.
func registerKind(name string, dec kindDecoder) {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	if _, dup := kinds[name]; dup {
		panic("content: kind registered twice: " + name)
	}
	kinds[name] = dec
}

// Files lists every embedded data file (slash paths below the package), sorted.
func Files() []string {
	var out []string
	_ = fs.WalkDir(files, "data", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// ReadFile returns the raw bytes of an embedded file listed by Files.
func ReadFile(name string) ([]byte, error) { return files.ReadFile(name) }

var (
	loadOnce sync.Once
	loaded   *Content
	loadErr  error
)

// Load decodes every embedded file once and validates the whole set.
// The result is shared and must not be modified.
func Load() (*Content, error) {
	loadOnce.Do(func() { loaded, loadErr = load() })
	return loaded, loadErr
}

// MustLoad is Load for callers that run after the content test has passed
// (the embedded data cannot change after build).
func MustLoad() *Content {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

func load() (*Content, error) {
	c := &Content{UI: map[string]Text{}, Extra: map[string][]*yaml.Node{}}
	for _, name := range Files() {
		if err := c.decodeFile(name); err != nil {
			return nil, err
		}
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// DecodeFile decodes one embedded file into a fresh Content, so a test can
// report which file is broken.
func DecodeFile(name string) error {
	c := &Content{UI: map[string]Text{}, Extra: map[string][]*yaml.Node{}}
	return c.decodeFile(name)
}

func (c *Content) decodeFile(name string) error {
	data, err := files.ReadFile(name)
	if err != nil {
		return fmt.Errorf("content: %s: %w", name, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("content: %s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return fmt.Errorf("content: %s: empty file", name)
	}
	root := doc.Content[0]
	var head struct {
		Kind string `yaml:"kind"`
	}
	if err := root.Decode(&head); err != nil {
		return fmt.Errorf("content: %s: %w", name, err)
	}
	kindsMu.Lock()
	dec, ok := kinds[head.Kind]
	kindsMu.Unlock()
	if !ok {
		return fmt.Errorf("content: %s: unknown kind %q (known: %s)", name, head.Kind, strings.Join(KnownKinds(), ", "))
	}
	if err := dec(c, root); err != nil {
		return fmt.Errorf("content: %s: %w", name, err)
	}
	return nil
}

// KnownKinds lists the registered file kinds.
func KnownKinds() []string {
	kindsMu.Lock()
	defer kindsMu.Unlock()
	out := make([]string, 0, len(kinds))
	for k := range kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// decodeStrict decodes node into v, refusing unknown keys (so a typo in a data
// file is an error, not a silently missing text).
func decodeStrict(node *yaml.Node, v any) error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(node); err != nil {
		return err
	}
	dec := yaml.NewDecoder(&buf)
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return err
	}
	return nil
}

// DecodeStrict is decodeStrict for packages that keep their own kinds in Extra
// (for example the TUI's decision tree).
func DecodeStrict(node *yaml.Node, v any) error { return decodeStrict(node, v) }

// registerExtraKind keeps files of this kind as raw nodes in Content.Extra for
// a package that decodes them itself.
func registerExtraKind(name string) {
	registerKind(name, func(c *Content, doc *yaml.Node) error {
		c.Extra[name] = append(c.Extra[name], doc)
		return nil
	})
}

var errNoID = errors.New("entry without id")

// base returns a file's name without directory and extension, for messages.
func base(name string) string { return strings.TrimSuffix(path.Base(name), path.Ext(name)) }
