package translate

import "github.com/tidwall/gjson"

// appendOutput converts output, initialOutput or reviewedOutput (mapping
// §4.5.3). A null or missing output stays "output": null — the one null a
// legacy body carries, since no empty value is valid for every variant.
func appendOutput(b []byte, out gjson.Result, legacyType string, fieldsCfg bool) []byte {
	if !out.IsObject() {
		return append(b, "null"...)
	}
	switch {
	case legacyType == "CLASSIFY":
		return appendClassifierOutput(b, out)
	case legacyType == "SPLITTER":
		return appendSplitterOutput(b, out)
	case fieldsCfg:
		return appendFieldsArrayOutput(b, out)
	default:
		return appendJSONOutput(b, out)
	}
}

// appendInsights keeps only "reasoning" insights, the one type legacy declares.
func appendInsights(b []byte, arr gjson.Result) []byte {
	return appendArray(b, arr, func(b []byte, in gjson.Result) ([]byte, bool) {
		if in.Get("type").Str != "reasoning" || in.Get("type").Type != gjson.String {
			return b, false
		}
		w := openObj(b)
		w.str("type", "reasoning")
		w.reqStr("content", in.Get("content"))
		return w.close(), true
	})
}

// appendClassifierOutput projects {id, type, confidence, insights}.
func appendClassifierOutput(b []byte, out gjson.Result) []byte {
	w := openObj(b)
	w.reqStr("id", out.Get("id"))
	w.reqStr("type", out.Get("type"))
	w.optNum("confidence", out.Get("confidence")) // required in both; never invented
	w.key("insights")
	w.b = appendInsights(w.b, out.Get("insights"))
	return w.close()
}

// appendSplitterOutput projects {splits[…], isExternal?}; the shape is the same in both versions.
func appendSplitterOutput(b []byte, out gjson.Result) []byte {
	w := openObj(b)
	w.key("splits")
	w.b = appendArray(w.b, out.Get("splits"), func(b []byte, s gjson.Result) ([]byte, bool) {
		if !s.IsObject() {
			return b, false
		}
		sw := openObj(b)
		sw.reqStr("type", s.Get("type"))
		sw.reqStr("observation", s.Get("observation"))
		sw.reqStr("identifier", s.Get("identifier"))
		sw.optNum("startPage", s.Get("startPage"))
		sw.optNum("endPage", s.Get("endPage"))
		sw.optStr("name", s.Get("name"))
		sw.reqStr("classificationId", s.Get("classificationId"))
		sw.reqStr("id", s.Get("id"))
		sw.reqStr("fileId", s.Get("fileId"))
		return sw.close(), true
	})
	w.optBool("isExternal", out.Get("isExternal"))
	return w.close()
}

// appendJSONOutput keeps value untouched and rebuilds metadata: citation
// page objects become numbers, fileId, reviewAgentScore and non-reasoning
// insights are dropped, null confidences are left out.
func appendJSONOutput(b []byte, out gjson.Result) []byte {
	w := openObj(b)
	if v := out.Get("value"); v.IsObject() {
		w.raw("value", v.Raw)
	} else {
		w.raw("value", "{}")
	}
	w.key("metadata")
	mw := openObj(w.b)
	md := out.Get("metadata")
	md.ForEach(func(k, m gjson.Result) bool {
		if !md.IsObject() || !m.IsObject() {
			return true
		}
		mw.key(k.Str)
		fw := openObj(mw.b)
		fw.optNum("ocrConfidence", m.Get("ocrConfidence"))
		fw.optNum("logprobsConfidence", m.Get("logprobsConfidence"))
		if c := m.Get("citations"); c.IsArray() {
			fw.key("citations")
			fw.b = appendArray(fw.b, c, appendCitation)
		}
		if in := m.Get("insights"); in.IsArray() {
			fw.key("insights")
			fw.b = appendInsights(fw.b, in)
		}
		mw.b = fw.close()
		return true
	})
	w.b = mw.close()
	return w.close()
}

// appendCitation turns {fileId?, page?: {number,…}, referenceText?, polygon?}
// into the legacy {page?: number, referenceText?, polygon?}.
func appendCitation(b []byte, c gjson.Result) ([]byte, bool) {
	if !c.IsObject() {
		return b, false
	}
	w := openObj(b)
	page := c.Get("page")
	if page.IsObject() {
		page = page.Get("number")
	}
	w.optNum("page", page)
	w.optStr("referenceText", c.Get("referenceText"))
	w.optArr("polygon", c.Get("polygon"))
	return w.close(), true
}

// appendFieldsArrayOutput copies an ExtractOutputLegacy record, which has the
// legacy FieldsArrayOutput shape, projecting each ExtractionFieldResult.
func appendFieldsArrayOutput(b []byte, out gjson.Result) []byte {
	w := openObj(b)
	out.ForEach(func(k, e gjson.Result) bool {
		if !e.IsObject() {
			return true
		}
		w.key(k.Str)
		ew := openObj(w.b)
		ew.reqStr("id", e.Get("id"))
		ew.reqStr("type", e.Get("type"))
		ew.optAny("value", e.Get("value"))
		ew.optNum("confidence", e.Get("confidence"))
		ew.optArr("schema", e.Get("schema"))
		if in := e.Get("insights"); in.IsArray() {
			ew.key("insights")
			ew.b = appendInsights(ew.b, in)
		}
		if refs := e.Get("references"); refs.IsArray() {
			ew.raw("references", refs.Raw)
		} else {
			ew.raw("references", "[]")
		}
		ew.optArr("enum", e.Get("enum"))
		w.b = ew.close()
		return true
	})
	return w.close()
}
