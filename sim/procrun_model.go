package sim

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// procRun is one processor run of the kept legacy endpoint.
type procRun struct {
	seq                  uint64
	id                   string
	proc                 *processor
	version              *procVersion
	file                 *storedFile
	config, legacyCfg    json.RawMessage
	metadata             json.RawMessage
	priority             float64
	created, cancelledAt time.Time
	sync, fail           bool
}

// batchRun is a batch processor run (GET /batch_processor_runs/{id} only).
type batchRun struct {
	id               string
	proc             *processor
	version          *procVersion
	created, updated time.Time
}

var procRunPrefix = map[string]string{"EXTRACT": "exr_", "CLASSIFY": "clr_", "SPLITTER": "splr_"}

const procRunDeleteMessage = "Processor run data has been successfully deleted."

// status follows the parse-run timeline; a cancel freezes it as CANCELLED.
func (s *Sim) procStatus(r *procRun, now time.Time) string {
	if !r.cancelledAt.IsZero() {
		return stCancelled
	}
	final := stProcessed
	if r.fail {
		final = stFailed
	}
	switch {
	case r.sync:
		return final
	case now.Before(r.created.Add(s.opt.PendingFor)):
		return stPending
	case now.Before(r.created.Add(s.opt.PendingFor + s.opt.ProcessFor)):
		return stProcessing
	}
	return final
}

func (s *Sim) procUpdated(r *procRun, now time.Time) time.Time {
	switch {
	case !r.cancelledAt.IsZero():
		return r.cancelledAt
	case r.sync:
		return r.created
	}
	end := r.created.Add(s.opt.PendingFor + s.opt.ProcessFor)
	if now.Before(end) {
		return r.created
	}
	return end
}

// schemaKeys lists the top-level properties of an extraction schema, in order.
func schemaKeys(cfg json.RawMessage) []string {
	var c struct {
		Schema struct {
			Properties json.RawMessage `json:"properties"`
		} `json:"schema"`
		Fields []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
			Type string `json:"type"`
		} `json:"fields"`
	}
	_ = json.Unmarshal(cfg, &c)
	var keys []string
	for _, f := range c.Fields {
		keys = append(keys, f.ID)
	}
	if len(keys) > 0 {
		return keys
	}
	d := json.NewDecoder(strings.NewReader(string(c.Schema.Properties)))
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return keys
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 {
				keys = append(keys, t)
				var skip json.RawMessage
				_ = d.Decode(&skip)
			}
		}
	}
}

var knownValues = map[string]any{"invoice_number": "INV-0042", "vendor_name": "Northwind Traders",
	"total_due": map[string]any{"amount": 1250.0, "iso_4217_currency_code": "USD"}, "tax_id": "94-1234567", "tax_amount": 102.5}

// extractOutput builds the output of an extraction: a JSON output for a
// schema config, a fields-array output for a fields config. In 2026 the
// second key's logprobsConfidence and citation text are null (T21, T23).
func (r *procRun) extractOutput(legacy bool) any {
	keys := schemaKeys(r.config)
	if strings.Contains(string(r.config), `"fields"`) {
		out := map[string]any{}
		for _, k := range keys {
			out[k] = map[string]any{"id": k, "type": "string", "value": fieldValue(k, r.file), "confidence": 0.94, "references": []any{}}
		}
		return out
	}
	value, meta := map[string]any{}, map[string]any{}
	for i, k := range keys {
		value[k] = fieldValue(k, r.file)
		m := map[string]any{"ocrConfidence": 0.99, "logprobsConfidence": 0.97,
			"citations": []any{map[string]any{"page": 1, "referenceText": fmt.Sprint(value[k]),
				"polygon": []any{map[string]any{"x": 72, "y": 100}, map[string]any{"x": 300, "y": 100}}}}}
		if i == 1 {
			m["logprobsConfidence"] = nil
			m["citations"].([]any)[0].(map[string]any)["referenceText"] = nil
		}
		if legacy {
			m = dropNulls(m).(map[string]any)
		}
		meta[k] = m
	}
	return map[string]any{"value": value, "metadata": meta}
}

func fieldValue(k string, f *storedFile) any {
	if v, ok := knownValues[k]; ok {
		return v
	}
	return k + " of " + f.name
}

// dropNulls removes null object members recursively (legacy optional keys).
func dropNulls(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range t {
			if val != nil {
				out[k] = dropNulls(val)
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			out[i] = dropNulls(val)
		}
		return out
	}
	return v
}

// classes are the configured classifications of a classify or split config.
func classes(cfg json.RawMessage, key string) []map[string]any {
	m, _ := decode(cfg).(map[string]any)
	list, _ := m[key].([]any)
	var out []map[string]any
	for _, c := range list {
		if cm, ok := c.(map[string]any); ok {
			out = append(out, cm)
		}
	}
	return out
}

func (r *procRun) output(legacy bool) any {
	switch r.proc.typ {
	case "CLASSIFY":
		id, typ := "other", "other"
		if cs := classes(r.config, "classifications"); len(cs) > 0 {
			id, typ = fmt.Sprint(cs[0]["id"]), fmt.Sprint(cs[0]["type"])
		}
		return classifyOutputJSON{ID: id, Type: typ, Confidence: 0.93, Insights: []insightJSON{
			{Type: "reasoning", Content: "The document has an invoice number, a vendor and a total due."}}}
	case "SPLITTER":
		id, typ := "other", "other"
		if cs := classes(r.config, "splitClassifications"); len(cs) > 0 {
			id, typ = fmt.Sprint(cs[0]["id"]), fmt.Sprint(cs[0]["type"])
		}
		return splitOutputJSON{Splits: []splitJSON{{ID: "split_" + strings.SplitN(r.id, "_", 2)[1] + "_1", ClassificationID: id,
			Type: typ, Observation: "One document throughout.", Identifier: "INV-0042", StartPage: 1,
			EndPage: r.file.pageCount, FileID: r.file.id}}}
	}
	return r.extractOutput(legacy)
}
