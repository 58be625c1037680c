package sim

import (
	"encoding/json"
	"slices"
	"strconv"

	"github.com/tidwall/gjson"
)

// keyTree is the allowed-key shape of a nested request object: a nil value
// is a leaf whose value is not descended into.
type keyTree map[string]keyTree

var (
	chunkingKeys = keyTree{"type": nil, "options": {"minCharacters": nil, "maxCharacters": nil}}
	// legacyParseKeys is ParseConfig of 0.0.12 (what a legacy answer may show).
	legacyParseKeys = keyTree{"target": nil, "chunkingStrategy": chunkingKeys,
		"blockOptions": {"figures": {"enabled": nil, "figureImageClippingEnabled": nil},
			"tables": {"enabled": nil, "targetFormat": nil, "tableHeaderContinuationEnabled": nil},
			"text":   {"signatureDetectionEnabled": nil}},
		"advancedOptions": {"pageRotationEnabled": nil, "agenticOcrEnabled": nil, "pageRanges": nil}}
	// legacyParseInKeys adds what 2025-04-21 servers accepted by 0.0.18 (Appendix B).
	legacyParseInKeys = keyTree{"target": nil, "chunkingStrategy": chunkingKeys, "engine": nil,
		"blockOptions": {"figures": {"enabled": nil, "figureImageClippingEnabled": nil},
			"tables": {"enabled": nil, "targetFormat": nil, "tableHeaderContinuationEnabled": nil, "cellBlocksEnabled": nil, "agentic": {"enabled": nil, "customInstructions": nil}},
			"text":   {"signatureDetectionEnabled": nil, "agentic": {"enabled": nil, "customInstructions": nil}}},
		"advancedOptions": {"pageRotationEnabled": nil, "agenticOcrEnabled": nil, "pageRanges": nil,
			"verticalGroupingThreshold": nil, "returnOcr": {"words": nil}}}
	agenticKeys = keyTree{"enabled": nil, "customInstructions": nil}
	// newParseKeys is the 2026-02-09 ParseConfig (T25-T30).
	newParseKeys = keyTree{"target": nil, "chunkingStrategy": chunkingKeys, "engine": nil, "engineVersion": nil,
		"blockOptions": {"figures": {"enabled": nil, "figureImageClippingEnabled": nil, "advancedChartExtractionEnabled": nil, "customInstructions": nil},
			"tables":   {"enabled": nil, "targetFormat": nil, "tableHeaderContinuationEnabled": nil, "cellBlocksEnabled": nil, "agentic": agenticKeys},
			"text":     {"signatureDetectionEnabled": nil, "agentic": agenticKeys},
			"keyValue": {"blankFieldFormattingEnabled": nil}, "barcodes": {"imageClippingEnabled": nil, "readingEnabled": nil},
			"formulas": {"enabled": nil}},
		"advancedOptions": {"pageRotationEnabled": nil, "pageRanges": nil, "excelParsingMode": nil, "excelSkipHiddenContent": nil,
			"excelUseRawCellValues": nil, "excelSkipCalculation": nil, "excelIncludeCellMetadata": nil,
			"excelIncludeCellFormatting": nil, "verticalGroupingThreshold": nil, "returnOcr": {"words": nil},
			"alwaysConvertToPdf": nil, "enrichmentFormat": nil, "imageConversionQuality": nil, "formattingDetection": nil}}
)

// checkTree refuses keys outside t, recursively, and non-objects where t
// expects an object.
func checkTree(where string, v gjson.Result, t keyTree) *apiError {
	if !v.IsObject() {
		return badRequest("%s must be an object", where)
	}
	var bad *apiError
	v.ForEach(func(k, val gjson.Result) bool {
		sub, ok := t[k.String()]
		if !ok {
			bad = badRequest("%s: unknown field %q", where, k.String())
		} else if sub != nil {
			bad = checkTree(where+"."+k.String(), val, sub)
		}
		return bad == nil
	})
	return bad
}

// checkParseConfig validates a ParseConfig of either version; the 2026 schema
// requires both ends of every page range (T24), the legacy one neither.
func checkParseConfig(where string, v gjson.Result, legacy bool) *apiError {
	keys := newParseKeys
	if legacy {
		keys = legacyParseInKeys
	}
	if err := checkTree(where, v, keys); err != nil {
		return err
	}
	if t := field(v, "target"); t.Exists() && !slices.Contains([]string{"markdown", "spatial"}, t.String()) {
		return badRequest("%s.target must be markdown or spatial", where)
	}
	if t := v.Get("chunkingStrategy.type"); t.Exists() && !slices.Contains([]string{"page", "document", "section"}, t.String()) {
		return badRequest("%s.chunkingStrategy.type must be page, document or section", where)
	}
	return pageRanges(where+".advancedOptions.pageRanges", v.Get("advancedOptions.pageRanges"), legacy)
}

// pageRanges validates PageRangesItem[].
func pageRanges(where string, v gjson.Result, legacy bool) *apiError {
	if !v.Exists() {
		return nil
	}
	if !v.IsArray() {
		return badRequest("%s must be an array", where)
	}
	for i, it := range v.Array() {
		w := where + "[" + strconv.Itoa(i) + "]"
		if err := checkKeys(w, it, "start", "end"); err != nil || !it.IsObject() {
			return badRequest("%s must be an object with start and end", w)
		}
		for _, k := range []string{"start", "end"} {
			n := field(it, k)
			if !n.Exists() && legacy {
				continue
			}
			if n.Type != gjson.Number || n.Num < 1 || n.Num != float64(int(n.Num)) {
				return badRequest("%s.%s is required and must be a positive integer", w, k)
			}
		}
		if s, e := field(it, "start"), field(it, "end"); s.Exists() && e.Exists() && e.Num < s.Num {
			return badRequest("%s: end must not be before start", w)
		}
	}
	return nil
}

// project keeps only the keys of t (recursively) of a decoded JSON value.
func project(v any, t keyTree) any {
	m, ok := v.(map[string]any)
	if !ok || t == nil {
		return v
	}
	out := map[string]any{}
	for k, val := range m {
		if sub, ok := t[k]; ok {
			out[k] = project(val, sub)
		}
	}
	return out
}

func decode(raw json.RawMessage) any {
	var v any
	if len(raw) == 0 || json.Unmarshal(raw, &v) != nil {
		return map[string]any{}
	}
	return v
}

func child(m map[string]any, k string) map[string]any {
	c, _ := m[k].(map[string]any)
	if c == nil {
		c = map[string]any{}
		m[k] = c
	}
	return c
}

// legacyParseToNew moves agenticOcrEnabled to blockOptions.text.agentic (D3)
// and completes open page ranges: a missing start is 1, a missing end the
// last page, which the sim knows (a 2025-04-21 server read it that way).
func legacyParseToNew(raw json.RawMessage, pages int) json.RawMessage {
	m, ok := decode(raw).(map[string]any)
	if !ok {
		return raw
	}
	if adv, ok := m["advancedOptions"].(map[string]any); ok {
		if on, _ := adv["agenticOcrEnabled"].(bool); on {
			text := child(child(m, "blockOptions"), "text")
			if _, set := text["agentic"]; !set {
				text["agentic"] = map[string]any{"enabled": true}
			}
		}
		delete(adv, "agenticOcrEnabled")
		if prs, ok := adv["pageRanges"].([]any); ok {
			for _, p := range prs {
				if pm, ok := p.(map[string]any); ok {
					if _, ok := pm["start"]; !ok {
						pm["start"] = 1
					}
					if _, ok := pm["end"]; !ok {
						pm["end"] = max(pages, 1)
					}
				}
			}
		}
	}
	return mustJSON(m)
}

// newParseToLegacy is the legacy view of a 2026 config: agentic text OCR
// shows as agenticOcrEnabled, and only 0.0.12's keys remain.
func newParseToLegacy(raw json.RawMessage) json.RawMessage {
	m, ok := decode(raw).(map[string]any)
	if !ok {
		return raw
	}
	if text, ok := child(m, "blockOptions")["text"].(map[string]any); ok {
		if ag, ok := text["agentic"].(map[string]any); ok {
			if on, _ := ag["enabled"].(bool); on {
				child(m, "advancedOptions")["agenticOcrEnabled"] = true
			}
		}
	}
	out := project(m, legacyParseKeys).(map[string]any)
	dropEmpty(out)
	return mustJSON(out)
}

// dropEmpty removes objects left empty by a projection.
func dropEmpty(m map[string]any) {
	for k, v := range m {
		if c, ok := v.(map[string]any); ok {
			dropEmpty(c)
			if len(c) == 0 {
				delete(m, k)
			}
		}
	}
}
