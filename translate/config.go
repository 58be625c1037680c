package translate

import "github.com/tidwall/gjson"

// appendConfig converts a new ExtractConfig, ClassifyConfig or SplitConfig to
// the legacy ProcessorRunConfig tagged with type (mapping §4.5.5). Keys are
// written in the order of the legacy types (L§4.10).
func appendConfig(b []byte, cfg gjson.Result, legacyType string) []byte {
	w := openObj(b)
	w.str("type", legacyType)
	switch legacyType {
	case "CLASSIFY":
		w.optEnum("baseProcessor", cfg.Get("baseProcessor"), "classification_performance", "classification_light")
		w.optStr("baseVersion", cfg.Get("baseVersion"))
		w.key("classifications")
		w.b = appendClassifications(w.b, cfg.Get("classifications"))
		w.optStr("classificationRules", cfg.Get("classificationRules"))
		if ao := cfg.Get("advancedOptions"); ao.IsObject() {
			w.key("advancedOptions")
			aw := openObj(w.b)
			aw.optEnum("context", ao.Get("context"), "default", "max")
			aw.optBool("advancedMultimodalEnabled", ao.Get("advancedMultimodalEnabled"))
			aw.optArr("pageRanges", ao.Get("pageRanges"))
			w.b = aw.close()
		}
	case "SPLITTER":
		w.optEnum("baseProcessor", cfg.Get("baseProcessor"), "splitting_performance", "splitting_light")
		w.optStr("baseVersion", cfg.Get("baseVersion"))
		w.key("splitClassifications")
		w.b = appendClassifications(w.b, cfg.Get("splitClassifications"))
		w.optStr("splitRules", cfg.Get("splitRules"))
		if ao := cfg.Get("advancedOptions"); ao.IsObject() {
			w.key("advancedOptions")
			w.b = appendSplitAdvanced(w.b, ao)
		}
	default:
		w.optEnum("baseProcessor", cfg.Get("baseProcessor"), "extraction_performance", "extraction_light")
		w.optStr("baseVersion", cfg.Get("baseVersion"))
		w.optStr("extractionRules", cfg.Get("extractionRules"))
		w.optObj("schema", cfg.Get("schema"))
		w.optArr("fields", cfg.Get("fields"))
		if ao := cfg.Get("advancedOptions"); ao.IsObject() {
			w.key("advancedOptions")
			w.b = appendExtractAdvanced(w.b, ao)
		}
	}
	if pc := cfg.Get("parseConfig"); pc.IsObject() {
		w.key("parser")
		w.b = appendParser(w.b, pc)
	}
	return w.close()
}

// appendClassifications projects {id, type, description}; identifierKey is dropped.
func appendClassifications(b []byte, arr gjson.Result) []byte {
	return appendArray(b, arr, func(b []byte, c gjson.Result) ([]byte, bool) {
		if !c.IsObject() {
			return b, false
		}
		w := openObj(b)
		w.reqStr("id", c.Get("id"))
		w.reqStr("type", c.Get("type"))
		w.reqStr("description", c.Get("description"))
		return w.close(), true
	})
}

// appendSplitAdvanced maps splitMethod basic_precision → low_latency (both
// SDKs describe them as "faster but less precise"); pageOverlapEnabled is dropped.
func appendSplitAdvanced(b []byte, ao gjson.Result) []byte {
	w := openObj(b)
	w.optStr("splitIdentifierRules", ao.Get("splitIdentifierRules"))
	switch m := ao.Get("splitMethod"); m.Str {
	case "high_precision":
		w.str("splitMethod", "high_precision")
	case "basic_precision":
		w.str("splitMethod", "low_latency")
	}
	w.optBool("splitExcelDocumentsBySheetEnabled", ao.Get("splitExcelDocumentsBySheetEnabled"))
	w.optArr("pageRanges", ao.Get("pageRanges"))
	return w.close()
}

// appendExtractAdvanced keeps the options legacy declares; citationMode,
// reviewAgent and currentDateEnabled are new and dropped, and enum values
// legacy does not know drop their (optional) key.
func appendExtractAdvanced(b []byte, ao gjson.Result) []byte {
	w := openObj(b)
	w.optBool("modelReasoningInsightsEnabled", ao.Get("modelReasoningInsightsEnabled"))
	w.optBool("advancedMultimodalEnabled", ao.Get("advancedMultimodalEnabled"))
	w.optBool("citationsEnabled", ao.Get("citationsEnabled"))
	w.optEnum("arrayCitationStrategy", ao.Get("arrayCitationStrategy"), "item", "property")
	if as := ao.Get("arrayStrategy"); as.Get("type").Str == "large_array_heuristics" {
		w.raw("arrayStrategy", `{"type":"large_array_heuristics"}`)
	}
	if co := ao.Get("chunkingOptions"); co.IsObject() {
		w.key("chunkingOptions")
		cw := openObj(w.b)
		cw.optEnum("chunkingStrategy", co.Get("chunkingStrategy"), "standard", "semantic")
		cw.optNum("pageChunkSize", co.Get("pageChunkSize"))
		cw.optEnum("chunkSelectionStrategy", co.Get("chunkSelectionStrategy"),
			"intelligent", "confidence", "take_first", "take_last")
		cw.optStr("customSemanticChunkingRules", co.Get("customSemanticChunkingRules"))
		w.b = cw.close()
	}
	w.optArr("excelSheetRanges", ao.Get("excelSheetRanges"))
	w.optEnum("excelSheetSelectionStrategy", ao.Get("excelSheetSelectionStrategy"),
		"intelligent", "all", "first", "last")
	w.optArr("pageRanges", ao.Get("pageRanges"))
	return w.close()
}

// appendParser projects a new ParseConfig onto the legacy ParseConfig.
// agenticOcrEnabled is derived from blockOptions.text.agentic.enabled: both
// describe "agentic OCR corrections using VLM-based review".
func appendParser(b []byte, pc gjson.Result) []byte {
	w := openObj(b)
	w.optEnum("target", pc.Get("target"), "markdown", "spatial")
	if cs := pc.Get("chunkingStrategy"); cs.IsObject() {
		w.key("chunkingStrategy")
		cw := openObj(w.b)
		cw.optEnum("type", cs.Get("type"), "page", "document", "section")
		if opt := cs.Get("options"); opt.IsObject() {
			cw.key("options")
			ow := openObj(cw.b)
			ow.optNum("minCharacters", opt.Get("minCharacters"))
			ow.optNum("maxCharacters", opt.Get("maxCharacters"))
			cw.b = ow.close()
		}
		w.b = cw.close()
	}
	bo := pc.Get("blockOptions")
	if bo.IsObject() {
		w.key("blockOptions")
		w.b = appendBlockOptions(w.b, bo)
	}
	ao := pc.Get("advancedOptions")
	agentic := bo.Get("text.agentic.enabled")
	if ao.IsObject() || agentic.IsBool() {
		w.key("advancedOptions")
		aw := openObj(w.b)
		aw.optBool("pageRotationEnabled", ao.Get("pageRotationEnabled"))
		aw.optBool("agenticOcrEnabled", agentic)
		aw.optArr("pageRanges", ao.Get("pageRanges"))
		w.b = aw.close()
	}
	return w.close()
}

// appendBlockOptions keeps the figure, table and text options legacy declares.
func appendBlockOptions(b []byte, bo gjson.Result) []byte {
	w := openObj(b)
	if f := bo.Get("figures"); f.IsObject() {
		w.key("figures")
		fw := openObj(w.b)
		fw.optBool("enabled", f.Get("enabled"))
		fw.optBool("figureImageClippingEnabled", f.Get("figureImageClippingEnabled"))
		w.b = fw.close()
	}
	if t := bo.Get("tables"); t.IsObject() {
		w.key("tables")
		tw := openObj(w.b)
		tw.optBool("enabled", t.Get("enabled"))
		tw.optEnum("targetFormat", t.Get("targetFormat"), "markdown", "html")
		tw.optBool("tableHeaderContinuationEnabled", t.Get("tableHeaderContinuationEnabled"))
		w.b = tw.close()
	}
	if t := bo.Get("text"); t.IsObject() {
		w.key("text")
		tw := openObj(w.b)
		tw.optBool("signatureDetectionEnabled", t.Get("signatureDetectionEnabled"))
		w.b = tw.close()
	}
	return w.close()
}
