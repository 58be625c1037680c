package sim

import (
	"encoding/json"
	"strconv"

	"github.com/tidwall/gjson"
)

// checkExpected validates a ProvidedProcessorOutput for the set's processor
// type: 2026 (T34-T36) or legacy (S§5.0.4, which also has fields-array form).
func checkExpected(where string, v gjson.Result, typ string, legacy bool) *apiError {
	if !v.IsObject() {
		return badRequest("%s is required and must be an object", where)
	}
	switch typ {
	case "CLASSIFY":
		keys := []string{"id", "type"}
		if legacy {
			keys = append(keys, "confidence")
		}
		if err := checkKeys(where, v, keys...); err != nil {
			return err
		}
		if field(v, "id").Type != gjson.String || field(v, "type").Type != gjson.String {
			return badRequest("%s needs string id and type (a classifier output)", where)
		}
		if c := field(v, "confidence"); c.Exists() && c.Type != gjson.Number {
			return badRequest("%s.confidence must be a number", where)
		}
	case "SPLITTER":
		return checkSplits(where, v, legacy)
	default:
		return checkExtractExpected(where, v, legacy)
	}
	return nil
}

func checkSplits(where string, v gjson.Result, legacy bool) *apiError {
	if err := checkKeys(where, v, "splits"); err != nil {
		return err
	}
	splits := field(v, "splits")
	if !splits.IsArray() {
		return badRequest("%s.splits is required and must be an array (a splitter output)", where)
	}
	keys, strs := []string{"classificationId", "type", "startPage", "endPage"}, []string{"classificationId", "type"}
	if legacy {
		keys, strs = append(keys, "id", "observation", "identifier"), append(strs, "id")
	}
	for i, sp := range splits.Array() {
		w := where + ".splits[" + strconv.Itoa(i) + "]"
		if err := checkKeys(w, sp, keys...); err != nil {
			return err
		}
		for _, k := range strs {
			if field(sp, k).Type != gjson.String {
				return badRequest("%s.%s is required and must be a string", w, k)
			}
		}
		for _, k := range []string{"startPage", "endPage"} {
			if field(sp, k).Type != gjson.Number {
				return badRequest("%s.%s is required and must be a number", w, k)
			}
		}
	}
	return nil
}

// checkExtractExpected: 2026 {value?: object}; legacy {value: object} or a
// fields-array record of {id, value?, type?, confidence?, page?}.
func checkExtractExpected(where string, v gjson.Result, legacy bool) *apiError {
	val := field(v, "value")
	if val.Exists() && val.IsObject() && len(v.Map()) == 1 {
		return nil
	}
	if !legacy {
		if len(v.Map()) == 0 {
			return nil
		}
		return badRequest("%s must be {value: object} (an extractor output)", where)
	}
	var bad *apiError
	v.ForEach(func(k, f gjson.Result) bool {
		w := where + "." + k.String()
		if !f.IsObject() || field(f, "id").Type != gjson.String {
			bad = badRequest("%s must be {value: object} or a fields-array output; %s needs a string id", where, w)
		} else {
			bad = checkKeys(w, f, "id", "value", "type", "confidence", "page")
		}
		return bad == nil
	})
	return bad
}

// renderExpected shows an item's expected output in a version's shape.
func (it *evalItem) renderExpected(legacy bool) json.RawMessage {
	m, ok := decode(it.expected).(map[string]any)
	if !ok || legacy == it.legacy {
		return it.expected
	}
	switch it.set.entity.typ {
	case "CLASSIFY":
		delete(m, "confidence")
	case "SPLITTER":
		splits, _ := m["splits"].([]any)
		for i, sp := range splits {
			if spm, ok := sp.(map[string]any); ok {
				if legacy {
					spm["id"] = strconv.Itoa(i) // no source in 2026: the index
				} else {
					delete(spm, "id")
					delete(spm, "observation")
					delete(spm, "identifier")
				}
			}
		}
	default:
		if legacy {
			if _, ok := m["value"]; !ok {
				m = map[string]any{"value": map[string]any{}}
			}
		} else if _, ok := m["value"].(map[string]any); !ok || len(m) != 1 {
			value := map[string]any{} // a fields-array output: each field's value
			for k, f := range m {
				if fm, ok := f.(map[string]any); ok {
					value[k] = fm["value"]
				}
			}
			m = map[string]any{"value": value}
		}
	}
	return mustJSON(m)
}

type evalItemJSON struct {
	Object          string          `json:"object"`
	ID              string          `json:"id"`
	EvaluationSetID string          `json:"evaluationSetId,omitempty"`
	File            *fileJSON       `json:"file,omitempty"`
	FileID          string          `json:"fileId,omitempty"`
	ExpectedOutput  json.RawMessage `json:"expectedOutput,omitempty"`
}

// render is the 2026 EvaluationSetItem (summary: no set id, no expected
// output) or the legacy one (fileId instead of file, no createdBy).
func (it *evalItem) render(legacy, summary bool) any {
	out := evalItemJSON{Object: "evaluation_set_item", ID: it.id}
	if legacy {
		out.EvaluationSetID, out.FileID, out.ExpectedOutput = it.set.id, it.file.id, it.renderExpected(true)
		return out
	}
	f := it.file.summary()
	out.File = &f
	if !summary {
		out.EvaluationSetID, out.ExpectedOutput = it.set.id, it.renderExpected(false)
	}
	return struct {
		evalItemJSON
		CreatedBy *createdByJSON `json:"createdBy"`
	}{out, apiKeyCreator}
}
