package checks

import (
	"sort"
	"testing"

	"github.com/biztel-tools/biztel-doctor/content"
)

// Content and the registry name each other: every check id in content is a
// registered catalog check, every remedy a check may emit exists, and no
// remedy is orphaned (named by neither content nor a check).
func TestContentAndRegistryAgree(t *testing.T) {
	c, err := content.Load()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, id := range IDs() {
		ids[id] = true
	}
	for id, where := range c.CheckRefs() {
		if !ids[id] {
			t.Errorf("%s names check %q, which is not in the registry", where, id)
		}
	}
	refs := c.RemedyRefs()
	for _, s := range Registry() {
		for _, id := range s.Remedies {
			if _, ok := c.Remedy(id); !ok {
				t.Errorf("check %s may emit remedy %q, which content does not define", s.ID, id)
			}
			refs[id] = true
		}
	}
	for _, id := range extraRemedyRefs() {
		refs[id] = true
	}
	var orphans []string
	for _, r := range c.Remedies {
		if !refs[r.ID] {
			orphans = append(orphans, r.ID)
		}
	}
	sort.Strings(orphans)
	if len(orphans) > 0 {
		t.Errorf("remedies named by no requirement, rule, inspection entry or check: %v", orphans)
	}
}

// extraRemedyRefs are remedies that other content (decision tree, symptoms)
// names; those kinds register their own references through content.Extra.
func extraRemedyRefs() []string { return nil }
