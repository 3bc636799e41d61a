package content

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// Validate cross-checks the loaded content: ids unique, references resolve,
// every text in both languages, ports in range. Checks against the check
// registry live in package checks (content imports nothing of ours).
func (c *Content) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	checkIDs := map[string]bool{}
	for i, ci := range c.Checks {
		if ci.ID == "" {
			add("checks[%d]: %v", i, errNoID)
		}
		if checkIDs[ci.ID] {
			add("checks: id %q twice", ci.ID)
		}
		checkIDs[ci.ID] = true
		if !ci.Title.Complete() {
			add("checks[%s].title: needs ja and en", ci.ID)
		}
	}
	remedyIDs := map[string]bool{}
	for i, r := range c.Remedies {
		if r.ID == "" {
			add("remedies[%d]: %v", i, errNoID)
		}
		if remedyIDs[r.ID] {
			add("remedies: id %q twice", r.ID)
		}
		remedyIDs[r.ID] = true
		if !r.Title.Complete() {
			add("remedies[%s].title: needs ja and en", r.ID)
		}
		if len(r.Steps) == 0 {
			add("remedies[%s]: no steps", r.ID)
		}
		if r.Source.IsZero() {
			add("remedies[%s]: no source section", r.ID)
		}
	}
	reqIDs := map[string]bool{}
	for i, r := range c.Requirements {
		if r.ID == "" {
			add("requirements[%d]: %v", i, errNoID)
		}
		if reqIDs[r.ID] {
			add("requirements: id %q twice", r.ID)
		}
		reqIDs[r.ID] = true
		if r.Direction != LANToWAN && r.Direction != WANToLAN {
			add("requirements[%s].direction: %q, expected %s or %s", r.ID, r.Direction, LANToWAN, WANToLAN)
		}
		if r.Transport != "udp" && r.Transport != "tcp" {
			add("requirements[%s].transport: %q, expected udp or tcp", r.ID, r.Transport)
		}
		for _, p := range append(append([]PortRange{}, r.Ports...), r.SourcePorts...) {
			if err := p.Valid(); err != nil {
				add("requirements[%s]: %v", r.ID, err)
			}
		}
		for _, o := range r.Options {
			if !contains(AllOptions, o) {
				add("requirements[%s].options: unknown option %q", r.ID, o)
			}
		}
		for _, id := range r.Remedies {
			if !remedyIDs[id] {
				add("requirements[%s].remedies: unknown remedy %q", r.ID, id)
			}
		}
	}
	for _, r := range c.Remedies {
		for _, q := range r.Requirements {
			if !reqIDs[q] {
				add("remedies[%s].requirements: unknown requirement %q", r.ID, q)
			}
		}
	}
	for _, rule := range c.Rules.All() {
		for _, id := range rule.Remedies {
			if !remedyIDs[id] {
				add("rules[%s].remedies: unknown remedy %q", rule.ID, id)
			}
		}
	}
	for _, p := range c.Inspection {
		if p.Remedy != "" && !remedyIDs[p.Remedy] {
			add("inspection[%s].remedy: unknown remedy %q", p.Name, p.Remedy)
		}
		if len(p.Match) == 0 {
			add("inspection[%s]: no match strings", p.Name)
		}
	}
	for key, t := range c.UI {
		if !t.Complete() {
			add("ui[%s]: needs ja and en", key)
		}
	}
	if err := c.ValidateVendors(); err != nil {
		errs = append(errs, err)
	}
	walkTexts(reflect.ValueOf(c).Elem(), "content", func(path string, t Text) {
		if !t.IsZero() && !t.Complete() {
			add("%s: text needs both ja and en (ja=%q en=%q)", path, t.Ja, t.En)
		}
	})
	errs = append(errs, c.validateData()...)
	errs = append(errs, c.validateFactValues()...)
	errs = append(errs, c.validateTUIWords()...)
	return errors.Join(errs...)
}

// All returns every rule in page order.
func (r Rules) All() []Rule {
	out := []Rule{r.NATTimer, r.QoS}
	out = append(out, r.Line...)
	out = append(out, r.Criteria...)
	out = append(out, r.Cases...)
	return append(out, r.Other...)
}

// RemedyRefs lists every remedy id that some content entry names, for the
// orphan test (checks add the ids they emit).
func (c *Content) RemedyRefs() map[string]bool {
	refs := map[string]bool{}
	for _, r := range c.Requirements {
		for _, id := range r.Remedies {
			refs[id] = true
		}
	}
	for _, rule := range c.Rules.All() {
		for _, id := range rule.Remedies {
			refs[id] = true
		}
	}
	for _, p := range c.Inspection {
		if p.Remedy != "" {
			refs[p.Remedy] = true
		}
	}
	return refs
}

// CheckRefs lists every check id that content names (requirements, rules,
// remedies' verify lists, the catalog), with where, for the registry test.
func (c *Content) CheckRefs() map[string]string {
	refs := map[string]string{}
	for _, ci := range c.Checks {
		refs[ci.ID] = "checks"
	}
	for _, r := range c.Requirements {
		for _, id := range r.Checks {
			refs[id] = "requirements[" + r.ID + "]"
		}
	}
	for _, rule := range c.Rules.All() {
		for _, id := range rule.Checks {
			refs[id] = "rules[" + rule.ID + "]"
		}
	}
	for _, r := range c.Remedies {
		for _, id := range r.Verify {
			refs[id] = "remedies[" + r.ID + "].verify"
		}
	}
	return refs
}

var textType = reflect.TypeOf(Text{})

// walkTexts calls fn for every Text reachable from v.
func walkTexts(v reflect.Value, path string, fn func(string, Text)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkTexts(v.Elem(), path, fn)
		}
	case reflect.Struct:
		if v.Type() == textType {
			fn(path, v.Interface().(Text))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "-" {
				name = strings.ToLower(f.Name)
			}
			walkTexts(v.Field(i), path+"."+name, fn)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkTexts(v.Index(i), fmt.Sprintf("%s[%s]", path, elemKey(v.Index(i), i)), fn)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			walkTexts(iter.Value(), fmt.Sprintf("%s[%v]", path, iter.Key()), fn)
		}
	}
}

// elemKey names a list element by its id (or name) when it has one, so a
// message says requirements[lan-wan-3] rather than requirements[2].
func elemKey(v reflect.Value, i int) string {
	if v.Kind() == reflect.Struct {
		for _, f := range []string{"ID", "Name"} {
			if fv := v.FieldByName(f); fv.IsValid() && fv.Kind() == reflect.String && fv.String() != "" {
				return fv.String()
			}
		}
	}
	return fmt.Sprint(i)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
