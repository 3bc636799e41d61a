// Package reporttest validates JSON reports against the published schema, for
// tests of every package that produces one.
package reporttest

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/biztel-tools/biztel-doctor/report"
)

// ValidateJSON checks a JSON report against report.JSONSchema; tests (here, in the
// CLI and in the namespace bed) use it on real output.
func ValidateJSON(doc []byte) error {
	var schemaDoc any
	if err := json.Unmarshal(report.JSONSchema, &schemaDoc); err != nil {
		return fmt.Errorf("reporttest: schema.json: %w", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", schemaDoc); err != nil {
		return fmt.Errorf("reporttest: schema.json: %w", err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		return fmt.Errorf("reporttest: schema.json: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("reporttest: not JSON: %w", err)
	}
	return sch.Validate(inst)
}
