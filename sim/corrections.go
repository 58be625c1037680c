package sim

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

// correction is a human review of one processor run's output: set by the
// _reviewed script at creation, or by the legacy correct-outputs endpoint.
// Both renderers show it (reviewed/edited, initialOutput, reviewedOutput).
type correction struct {
	value    json.RawMessage     // EXTRACT-like steps: the reviewed value
	edits    map[string]editJSON // EXTRACT-like steps: per changed field
	classify *classifyOutputJSON // CLASSIFY
	splits   []split             // SPLIT
}

// scriptedReview is the _reviewed script's correction of the EXTRACT step.
func scriptedReview(initial json.RawMessage) *correction {
	reviewed, err := sjson.SetBytes(initial, "vendor_name", "Acme Corporation")
	if err != nil {
		reviewed = initial
	}
	c := extractCorrection(initial, reviewed)
	for k, e := range c.edits {
		e.Notes, e.Page, e.FieldType = "Matched the vendor master record.", 1, "string"
		c.edits[k] = e
	}
	return c
}

// extractCorrection diffs two values key by key to fill edits.
func extractCorrection(initial, reviewed json.RawMessage) *correction {
	c := &correction{value: reviewed, edits: map[string]editJSON{}}
	gjson.ParseBytes(reviewed).ForEach(func(k, v gjson.Result) bool {
		orig := field(gjson.ParseBytes(initial), k.String())
		if orig.Exists() && bytes.Equal(compact(orig.Raw), compact(v.Raw)) {
			return true
		}
		e := editJSON{EditedValue: json.RawMessage(v.Raw)}
		if orig.Exists() {
			e.OriginalValue = json.RawMessage(orig.Raw)
		}
		c.edits[k.String()] = e
		return true
	})
	return c
}

func compact(raw string) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(raw)); err != nil {
		return []byte(raw)
	}
	return b.Bytes()
}

// mergePartial merges a partial reviewed value into the current one: "a field
// that is sent is treated as the final reviewed value" (L§3.8).
func mergePartial(current json.RawMessage, partial gjson.Result) json.RawMessage {
	m := map[string]json.RawMessage{}
	_ = json.Unmarshal(current, &m) // a non-object current value is replaced
	partial.ForEach(func(k, v gjson.Result) bool {
		m[k.String()] = json.RawMessage(v.Raw)
		return true
	})
	keys := slices.Sorted(maps.Keys(m))
	out := []byte("{")
	for i, k := range keys {
		if i > 0 {
			out = append(out, ',')
		}
		kb, _ := json.Marshal(k)
		out = append(append(append(out, kb...), ':'), m[k]...)
	}
	return append(out, '}')
}

// extractValueAt is the current value of an extract-like step before review.
func (r *run) extractValueAt(i int) json.RawMessage {
	switch i {
	case stepMerge:
		return mergeValue
	case stepCond:
		return r.condValue
	}
	return r.extractValue
}
