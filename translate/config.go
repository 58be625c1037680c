package translate

import "github.com/tidwall/gjson"

// appendConfig converts a new ExtractConfig, ClassifyConfig or SplitConfig to
// the legacy ProcessorRunConfig tagged with type (mapping §4.5.5). Keys are
// written in the order of the legacy types (L§4.10).
func (d *doc) appendConfig(b []byte, cfg gjson.Result, legacyType string) []byte {
	var c [cfgKeyCount]gjson.Result
	d.pick(cfg, configKeys, c[:])
	w := openObj(b)
	w.str("type", legacyType)
	switch legacyType {
	case "CLASSIFY":
		w.optEnum("baseProcessor", c[cfgBase], "classification_performance", "classification_light")
		w.optStr("baseVersion", c[cfgVersion])
		w.key("classifications")
		w.b = d.appendClassifications(w.b, c[cfgClassifications])
		w.optStr("classificationRules", c[cfgClassificationRules])
		if ao := c[cfgAdvanced]; ao.IsObject() {
			var a [3]gjson.Result
			d.pick(ao, classifyAdvancedKeys, a[:])
			w.key("advancedOptions")
			aw := openObj(w.b)
			aw.optEnum("context", a[0], "default", "max")
			aw.optBool("advancedMultimodalEnabled", a[1])
			aw.optArr("pageRanges", a[2])
			w.b = aw.close()
		}
	case "SPLITTER":
		w.optEnum("baseProcessor", c[cfgBase], "splitting_performance", "splitting_light")
		w.optStr("baseVersion", c[cfgVersion])
		w.key("splitClassifications")
		w.b = d.appendClassifications(w.b, c[cfgSplitClassifications])
		w.optStr("splitRules", c[cfgSplitRules])
		if ao := c[cfgAdvanced]; ao.IsObject() {
			w.key("advancedOptions")
			w.b = d.appendSplitAdvanced(w.b, ao)
		}
	default:
		w.optEnum("baseProcessor", c[cfgBase], "extraction_performance", "extraction_light")
		w.optStr("baseVersion", c[cfgVersion])
		w.optStr("extractionRules", c[cfgExtractionRules])
		w.optObj("schema", c[cfgSchema])
		w.optArr("fields", c[cfgFields])
		if ao := c[cfgAdvanced]; ao.IsObject() {
			w.key("advancedOptions")
			w.b = d.appendExtractAdvanced(w.b, ao)
		}
	}
	if pc := c[cfgParse]; pc.IsObject() {
		w.key("parser")
		w.b = d.appendParser(w.b, pc)
	}
	return w.close()
}

// Indexes into configKeys: the members of the three config types, read in one pass.
const (
	cfgBase = iota
	cfgVersion
	cfgClassifications
	cfgClassificationRules
	cfgSplitClassifications
	cfgSplitRules
	cfgExtractionRules
	cfgSchema
	cfgFields
	cfgAdvanced
	cfgParse
	cfgKeyCount
)

var (
	configKeys = []string{"baseProcessor", "baseVersion", "classifications", "classificationRules",
		"splitClassifications", "splitRules", "extractionRules", "schema", "fields", "advancedOptions", "parseConfig"}
	classifyAdvancedKeys = []string{"context", "advancedMultimodalEnabled", "pageRanges"}
	classificationKeys   = []string{"id", "type", "description"}
	extractAdvancedKeys  = []string{"modelReasoningInsightsEnabled", "advancedMultimodalEnabled", "citationsEnabled",
		"arrayCitationStrategy", "arrayStrategy", "chunkingOptions", "excelSheetRanges", "excelSheetSelectionStrategy",
		"pageRanges"}
)

// appendClassifications projects {id, type, description}; identifierKey is dropped.
func (d *doc) appendClassifications(b []byte, arr gjson.Result) []byte {
	return d.appendArray(b, arr, func(b []byte, c gjson.Result) ([]byte, bool) {
		if !c.IsObject() {
			return b, false
		}
		var f [3]gjson.Result
		d.pick(c, classificationKeys, f[:])
		w := openObj(b)
		w.reqStr("id", f[0])
		w.reqStr("type", f[1])
		w.reqStr("description", f[2])
		return w.close(), true
	})
}

// appendSplitAdvanced maps splitMethod basic_precision → low_latency (both
// SDKs describe them as "faster but less precise"); pageOverlapEnabled is dropped.
func (d *doc) appendSplitAdvanced(b []byte, ao gjson.Result) []byte {
	w := openObj(b)
	w.optStr("splitIdentifierRules", d.get(ao, "splitIdentifierRules"))
	switch m := d.get(ao, "splitMethod"); m.Str {
	case "high_precision":
		w.str("splitMethod", "high_precision")
	case "basic_precision":
		w.str("splitMethod", "low_latency")
	}
	w.optBool("splitExcelDocumentsBySheetEnabled", d.get(ao, "splitExcelDocumentsBySheetEnabled"))
	w.optArr("pageRanges", d.get(ao, "pageRanges"))
	return w.close()
}

// appendExtractAdvanced keeps the options legacy declares; citationMode,
// reviewAgent and currentDateEnabled are new and dropped, and enum values
// legacy does not know drop their (optional) key.
func (d *doc) appendExtractAdvanced(b []byte, ao gjson.Result) []byte {
	var f [9]gjson.Result
	d.pick(ao, extractAdvancedKeys, f[:])
	w := openObj(b)
	w.optBool("modelReasoningInsightsEnabled", f[0])
	w.optBool("advancedMultimodalEnabled", f[1])
	w.optBool("citationsEnabled", f[2])
	w.optEnum("arrayCitationStrategy", f[3], "item", "property")
	if as := f[4]; d.get(as, "type").Str == "large_array_heuristics" {
		w.raw("arrayStrategy", `{"type":"large_array_heuristics"}`)
	}
	if co := f[5]; co.IsObject() {
		w.key("chunkingOptions")
		cw := openObj(w.b)
		cw.optEnum("chunkingStrategy", d.get(co, "chunkingStrategy"), "standard", "semantic")
		cw.optNum("pageChunkSize", d.get(co, "pageChunkSize"))
		cw.optEnum("chunkSelectionStrategy", d.get(co, "chunkSelectionStrategy"),
			"intelligent", "confidence", "take_first", "take_last")
		cw.optStr("customSemanticChunkingRules", d.get(co, "customSemanticChunkingRules"))
		w.b = cw.close()
	}
	w.optArr("excelSheetRanges", f[6])
	w.optEnum("excelSheetSelectionStrategy", f[7], "intelligent", "all", "first", "last")
	w.optArr("pageRanges", f[8])
	return w.close()
}

// appendParser projects a new ParseConfig onto the legacy ParseConfig.
// agenticOcrEnabled is derived from blockOptions.text.agentic.enabled: both
// describe "agentic OCR corrections using VLM-based review".
func (d *doc) appendParser(b []byte, pc gjson.Result) []byte {
	w := openObj(b)
	w.optEnum("target", d.get(pc, "target"), "markdown", "spatial")
	if cs := d.get(pc, "chunkingStrategy"); cs.IsObject() {
		w.key("chunkingStrategy")
		cw := openObj(w.b)
		cw.optEnum("type", d.get(cs, "type"), "page", "document", "section")
		if opt := d.get(cs, "options"); opt.IsObject() {
			cw.key("options")
			ow := openObj(cw.b)
			ow.optNum("minCharacters", d.get(opt, "minCharacters"))
			ow.optNum("maxCharacters", d.get(opt, "maxCharacters"))
			cw.b = ow.close()
		}
		w.b = cw.close()
	}
	bo := d.get(pc, "blockOptions")
	if bo.IsObject() {
		w.key("blockOptions")
		w.b = d.appendBlockOptions(w.b, bo)
	}
	ao := d.get(pc, "advancedOptions")
	agentic := d.get(d.get(d.get(bo, "text"), "agentic"), "enabled")
	if ao.IsObject() || agentic.IsBool() {
		w.key("advancedOptions")
		aw := openObj(w.b)
		aw.optBool("pageRotationEnabled", d.get(ao, "pageRotationEnabled"))
		aw.optBool("agenticOcrEnabled", agentic)
		aw.optArr("pageRanges", d.get(ao, "pageRanges"))
		w.b = aw.close()
	}
	return w.close()
}

// appendBlockOptions keeps the figure, table and text options legacy declares.
func (d *doc) appendBlockOptions(b []byte, bo gjson.Result) []byte {
	w := openObj(b)
	if f := d.get(bo, "figures"); f.IsObject() {
		w.key("figures")
		fw := openObj(w.b)
		fw.optBool("enabled", d.get(f, "enabled"))
		fw.optBool("figureImageClippingEnabled", d.get(f, "figureImageClippingEnabled"))
		w.b = fw.close()
	}
	if t := d.get(bo, "tables"); t.IsObject() {
		w.key("tables")
		tw := openObj(w.b)
		tw.optBool("enabled", d.get(t, "enabled"))
		tw.optEnum("targetFormat", d.get(t, "targetFormat"), "markdown", "html")
		tw.optBool("tableHeaderContinuationEnabled", d.get(t, "tableHeaderContinuationEnabled"))
		w.b = tw.close()
	}
	if t := d.get(bo, "text"); t.IsObject() {
		w.key("text")
		tw := openObj(w.b)
		tw.optBool("signatureDetectionEnabled", d.get(t, "signatureDetectionEnabled"))
		w.b = tw.close()
	}
	return w.close()
}
