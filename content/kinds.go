package content

import (
	"fmt"
	"reflect"

	"gopkg.in/yaml.v3"
)

// The core kinds. The decision tree, symptoms and vendor templates register
// their decoders in their own files (tree.go, vendor.go).
func init() {
	registerKind("checks", func(c *Content, doc *yaml.Node) error {
		var f struct {
			Kind   string      `yaml:"kind"`
			Checks []CheckInfo `yaml:"checks"`
		}
		if err := decodeStrict(doc, &f); err != nil {
			return err
		}
		c.Checks = append(c.Checks, f.Checks...)
		return nil
	})
	registerKind("requirements", func(c *Content, doc *yaml.Node) error {
		var f struct {
			Kind         string             `yaml:"kind"`
			Tables       []RequirementTable `yaml:"tables"`
			Requirements []Requirement      `yaml:"requirements"`
		}
		if err := decodeStrict(doc, &f); err != nil {
			return err
		}
		c.Tables = append(c.Tables, f.Tables...)
		c.Requirements = append(c.Requirements, f.Requirements...)
		return nil
	})
	registerKind("rules", func(c *Content, doc *yaml.Node) error {
		var f struct {
			Kind  string `yaml:"kind"`
			Rules Rules  `yaml:"rules"`
		}
		if err := decodeStrict(doc, &f); err != nil {
			return err
		}
		if !reflect.ValueOf(c.Rules).IsZero() { // any field set by an earlier rules file
			return fmt.Errorf("rules defined twice")
		}
		c.Rules = f.Rules
		return nil
	})
	registerKind("remedies", func(c *Content, doc *yaml.Node) error {
		var f struct {
			Kind     string   `yaml:"kind"`
			Remedies []Remedy `yaml:"remedies"`
		}
		if err := decodeStrict(doc, &f); err != nil {
			return err
		}
		c.Remedies = append(c.Remedies, f.Remedies...)
		return nil
	})
	registerKind("thresholds", func(c *Content, doc *yaml.Node) error {
		var f struct {
			Kind       string     `yaml:"kind"`
			Thresholds Thresholds `yaml:"thresholds"`
		}
		if err := decodeStrict(doc, &f); err != nil {
			return err
		}
		c.Thresholds = f.Thresholds
		return nil
	})
	registerKind("inspection", func(c *Content, doc *yaml.Node) error {
		var f struct {
			Kind     string              `yaml:"kind"`
			Products []InspectionProduct `yaml:"products"`
		}
		if err := decodeStrict(doc, &f); err != nil {
			return err
		}
		c.Inspection = append(c.Inspection, f.Products...)
		return nil
	})
	registerKind("ui", func(c *Content, doc *yaml.Node) error {
		var f struct {
			Kind string          `yaml:"kind"`
			Text map[string]Text `yaml:"text"`
		}
		if err := decodeStrict(doc, &f); err != nil {
			return err
		}
		for k, v := range f.Text {
			if _, dup := c.UI[k]; dup {
				return fmt.Errorf("ui text %q defined twice", k)
			}
			c.UI[k] = v
		}
		return nil
	})
}

// Check returns the catalog entry for id.
func (c *Content) Check(id string) (CheckInfo, bool) {
	for _, ci := range c.Checks {
		if ci.ID == id {
			return ci, true
		}
	}
	return CheckInfo{}, false
}

// Remedy returns the remedy with id.
func (c *Content) Remedy(id string) (Remedy, bool) {
	for _, r := range c.Remedies {
		if r.ID == id {
			return r, true
		}
	}
	return Remedy{}, false
}

// Table returns the heading and notes of the port table of direction.
func (c *Content) Table(direction string) (RequirementTable, bool) {
	for _, t := range c.Tables {
		if t.Direction == direction {
			return t, true
		}
	}
	return RequirementTable{}, false
}

// Requirement returns the requirement row with id.
func (c *Content) Requirement(id string) (Requirement, bool) {
	for _, r := range c.Requirements {
		if r.ID == id {
			return r, true
		}
	}
	return Requirement{}, false
}

// Label returns a UI text by key; a missing key shows as the key itself so a
// gap is visible rather than blank (the content test keeps keys complete).
func (c *Content) Label(key string, lang Lang) string {
	if t, ok := c.UI[key]; ok {
		return t.In(lang)
	}
	return key
}
