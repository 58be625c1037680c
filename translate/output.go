package translate

import "github.com/tidwall/gjson"

// appendOutput converts output, initialOutput or reviewedOutput (mapping
// §4.5.3). A null or missing output stays "output": null — the one null a
// legacy body carries, since no empty value is valid for every variant.
func (d *doc) appendOutput(b []byte, out gjson.Result, legacyType string, fieldsCfg bool) []byte {
	if !out.IsObject() {
		return append(b, "null"...)
	}
	switch {
	case legacyType == "CLASSIFY":
		return d.appendClassifierOutput(b, out)
	case legacyType == "SPLITTER":
		return d.appendSplitterOutput(b, out)
	case fieldsCfg:
		return d.appendFieldsArrayOutput(b, out)
	default:
		return d.appendJSONOutput(b, out)
	}
}

// appendInsights keeps only "reasoning" insights, the one type legacy declares.
func (d *doc) appendInsights(b []byte, arr gjson.Result) []byte {
	return d.appendArray(b, arr, func(b []byte, in gjson.Result) ([]byte, bool) {
		var f [2]gjson.Result
		d.pick(in, insightKeys, f[:])
		if f[0].Str != "reasoning" || f[0].Type != gjson.String || !in.IsObject() {
			return b, false
		}
		w := openObj(b)
		w.str("type", "reasoning")
		w.reqStr("content", f[1])
		return w.close(), true
	})
}

// Keys read from each object in one pass, in the order of the writes.
var (
	insightKeys    = []string{"type", "content"}
	classifierKeys = []string{"id", "type", "confidence", "insights"}
	splitKeys      = []string{"id", "type", "identifier", "startPage", "endPage", "observation", "name",
		"classificationId", "fileId"} // the API's order, not the writes'; see below
	jsonOutputKeys  = []string{"value", "metadata"}
	fieldMetaKeys   = []string{"ocrConfidence", "logprobsConfidence", "citations", "insights"}
	citationKeys    = []string{"page", "referenceText", "polygon"}
	fieldResultKeys = []string{"id", "type", "value", "confidence", "schema", "insights", "references", "enum"}
)

// appendClassifierOutput projects {id, type, confidence, insights}.
func (d *doc) appendClassifierOutput(b []byte, out gjson.Result) []byte {
	var f [4]gjson.Result
	d.pick(out, classifierKeys, f[:])
	w := openObj(b)
	w.reqStr("id", f[0])
	w.reqStr("type", f[1])
	w.optNum("confidence", f[2]) // required in both; never invented
	w.key("insights")
	w.b = d.appendInsights(w.b, f[3])
	return w.close()
}

// appendSplitterOutput projects {splits[…], isExternal?}; the shape is the same in both versions.
func (d *doc) appendSplitterOutput(b []byte, out gjson.Result) []byte {
	w := openObj(b)
	w.key("splits")
	w.b = d.appendArray(w.b, d.get(out, "splits"), func(b []byte, s gjson.Result) ([]byte, bool) {
		if !s.IsObject() {
			return b, false
		}
		var f [9]gjson.Result
		d.pick(s, splitKeys, f[:])
		sw := openObj(b)
		sw.reqStr("type", f[1])
		sw.reqStr("observation", f[5])
		sw.reqStr("identifier", f[2])
		sw.optNum("startPage", f[3])
		sw.optNum("endPage", f[4])
		sw.optStr("name", f[6])
		sw.reqStr("classificationId", f[7])
		sw.reqStr("id", f[0])
		sw.reqStr("fileId", f[8])
		return sw.close(), true
	})
	w.optBool("isExternal", d.get(out, "isExternal"))
	return w.close()
}

// appendJSONOutput keeps value untouched and rebuilds metadata: citation
// page objects become numbers, fileId, reviewAgentScore and non-reasoning
// insights are dropped, null confidences are left out.
func (d *doc) appendJSONOutput(b []byte, out gjson.Result) []byte {
	var o [2]gjson.Result
	d.pick(out, jsonOutputKeys, o[:])
	w := openObj(b)
	if v := o[0]; v.IsObject() {
		w.raw("value", v.Raw)
	} else {
		w.raw("value", "{}")
	}
	w.key("metadata")
	mw := openObj(w.b)
	md := o[1]
	d.each(md, func(k string, m gjson.Result) bool {
		if !md.IsObject() || !m.IsObject() {
			return true
		}
		var f [4]gjson.Result
		d.pick(m, fieldMetaKeys, f[:])
		mw.key(k)
		fw := openObj(mw.b)
		fw.optNum("ocrConfidence", f[0])
		fw.optNum("logprobsConfidence", f[1])
		if c := f[2]; c.IsArray() {
			fw.key("citations")
			fw.b = d.appendArray(fw.b, c, d.appendCitation)
		}
		if in := f[3]; in.IsArray() {
			fw.key("insights")
			fw.b = d.appendInsights(fw.b, in)
		}
		mw.b = fw.close()
		return true
	})
	w.b = mw.close()
	return w.close()
}

// appendCitation turns {fileId?, page?: {number,…}, referenceText?, polygon?}
// into the legacy {page?: number, referenceText?, polygon?}.
func (d *doc) appendCitation(b []byte, c gjson.Result) ([]byte, bool) {
	if !c.IsObject() {
		return b, false
	}
	var f [3]gjson.Result
	d.pick(c, citationKeys, f[:])
	w := openObj(b)
	page := f[0]
	if page.IsObject() {
		page = d.get(page, "number")
	}
	w.optNum("page", page)
	w.optStr("referenceText", f[1])
	w.optArr("polygon", f[2])
	return w.close(), true
}

// appendFieldsArrayOutput copies an ExtractOutputLegacy record, which has the
// legacy FieldsArrayOutput shape, projecting each ExtractionFieldResult.
func (d *doc) appendFieldsArrayOutput(b []byte, out gjson.Result) []byte {
	w := openObj(b)
	d.each(out, func(k string, e gjson.Result) bool {
		if !e.IsObject() {
			return true
		}
		var f [8]gjson.Result
		d.pick(e, fieldResultKeys, f[:])
		w.key(k)
		ew := openObj(w.b)
		ew.reqStr("id", f[0])
		ew.reqStr("type", f[1])
		ew.optAny("value", f[2])
		ew.optNum("confidence", f[3])
		ew.optArr("schema", f[4])
		if in := f[5]; in.IsArray() {
			ew.key("insights")
			ew.b = d.appendInsights(ew.b, in)
		}
		if refs := f[6]; refs.IsArray() {
			ew.raw("references", refs.Raw)
		} else {
			ew.raw("references", "[]")
		}
		ew.optArr("enum", f[7])
		w.b = ew.close()
		return true
	})
	return w.close()
}
