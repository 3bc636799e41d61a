package monitor

import _ "embed"

// JSONSchema is the JSON Schema (draft 2020-12) of the monitor record.
//
//go:embed schema.json
var JSONSchema []byte
