package content

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:generate go test -run ^TestGeneratedMatchesYAML$ -update .

//go:embed data
var files embed.FS

// Content is every embedded data file, decoded and cross-checked.
type Content struct {
	Checks       []CheckInfo         // the check catalog, in display order
	Tables       []RequirementTable  // the port tables' headings and table-wide notes
	Requirements []Requirement       // both port tables, LAN→WAN then WAN→LAN
	Rules        Rules               // NAT timer, QoS, recommended line, criteria, NGFW/UTM cases
	Remedies     []Remedy            // one per thing a customer can change
	Thresholds   Thresholds          // call-quality limits
	Inspection   []InspectionProduct // TLS inspection products recognised by certificate issuer
	UI           map[string]Text     // labels for screens and reports
	DecisionTree Tree                // the troubleshooter's questions (kind "tree"); read with Tree
	SymptomPaths []Symptom           // customer complaints and their questions (kind "symptoms"); read with Symptoms
	VendorSet    []Vendor            // router/firewall snippet templates (kind "vendor"); read with Vendors
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

	// pregenerated is the same content as Go data, compiled into the binary
	// (content_gen.go, written by `go generate`): decoding the YAML cost
	// about 23 ms of a cold start, more than plan's whole start-up goal.
	// TestGeneratedMatchesYAML keeps it equal to the YAML; without the file
	// Load falls back to decoding the YAML.
	pregenerated *Content
)

// Load returns every embedded file's content, decoded once. The result is
// shared and must not be modified.
func Load() (*Content, error) {
	loadOnce.Do(func() {
		if pregenerated != nil {
			loaded = pregenerated
			return
		}
		loaded, loadErr = load()
	})
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

// load decodes every embedded YAML file (the source of truth; Load uses the
// pre-generated copy of its result).
func load() (*Content, error) {
	c := newContent()
	for _, name := range Files() {
		if err := c.decodeFile(name); err != nil {
			return nil, err
		}
	}
	// Validate is not run here: the data is embedded, so the content tests
	// (TestLoadValidates) have validated exactly these bytes before any
	// binary ships, and skipping it saves start-up time for plan and ports.
	return c, nil
}

// DecodeFile decodes one embedded file into a fresh Content, so a test can
// report which file is broken.
func DecodeFile(name string) error {
	return newContent().decodeFile(name)
}

// newContent is an empty Content ready for decoding.
func newContent() *Content { return &Content{UI: map[string]Text{}} }

func (c *Content) decodeFile(name string) error {
	data, err := files.ReadFile(name)
	if err != nil {
		return fmt.Errorf("content: %s: %w", name, err)
	}
	return c.decodeData(name, data)
}

// decodeData decodes one file's bytes by its kind; name is for messages.
// Tests feed broken snippets through it.
func (c *Content) decodeData(name string, data []byte) error {
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
// file is an error, not a silently missing text). Unknown keys are found on
// the node itself so the message carries the file's own line number.
func decodeStrict(node *yaml.Node, v any) error {
	if err := knownFields(node, reflect.TypeOf(v)); err != nil {
		return err
	}
	return node.Decode(v)
}

var unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()

// knownFields reports the first mapping key under n that no field of t takes,
// in yaml.v3's own wording ("line N: field X not found in type T").
func knownFields(n *yaml.Node, t reflect.Type) error {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n == nil || t == nil || t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return nil // a type error; Decode reports it with its line
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i], n.Content[i+1]
			if key.Value == "<<" {
				continue // merge key: its mapping is checked where it is defined
			}
			ft, ok := fields[key.Value]
			if !ok {
				return fmt.Errorf("line %d: field %s not found in type %s", key.Line, key.Value, t)
			}
			if err := knownFields(val, ft); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if n.Kind == yaml.SequenceNode {
			for _, e := range n.Content {
				if err := knownFields(e, t.Elem()); err != nil {
					return err
				}
			}
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode {
			for i := 1; i < len(n.Content); i += 2 {
				if err := knownFields(n.Content[i], t.Elem()); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// yamlFields maps the YAML keys of struct t (yaml.v3 rules: the tag's name,
// else the lowercased field name; ",inline" structs contribute their keys).
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(","+opts+",", ",inline,") && f.Type.Kind() == reflect.Struct {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

var errNoID = errors.New("entry without id")

// base returns a file's name without directory and extension, for messages.
func base(name string) string { return strings.TrimSuffix(path.Base(name), path.Ext(name)) }
