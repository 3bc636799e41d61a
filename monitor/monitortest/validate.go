// Package monitortest validates monitor records against the published
// schema, for tests of the monitor, the CLI and the namespace bed.
package monitortest

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/biztel-tools/biztel-doctor/monitor"
)

// ValidateJSON checks a record against monitor.JSONSchema.
func ValidateJSON(doc []byte) error {
	var schemaDoc any
	if err := json.Unmarshal(monitor.JSONSchema, &schemaDoc); err != nil {
		return fmt.Errorf("monitortest: schema.json: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("schema.json", schemaDoc); err != nil {
		return fmt.Errorf("monitortest: schema.json: %w", err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		return fmt.Errorf("monitortest: schema.json: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("monitortest: not JSON: %w", err)
	}
	return sch.Validate(inst)
}
