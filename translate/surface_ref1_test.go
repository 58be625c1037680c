package translate

// The surface response writers as they were before they moved onto the
// indexed doc (plain gjson Get/ForEach), kept verbatim under a ref prefix as
// the reference the rewrite is held to (surface_equiv_test.go): same bytes,
// same errors, same Report entries and learned parents on any input.

import (
	"fmt"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

func refAppendSurfaceFile(b []byte, f gjson.Result) []byte {
	m := refMembers(f, "id", "name", "type", "presignedUrl", "parentFileId", "contents", "metadata", "createdAt", "updatedAt")
	w := openObj(b)
	w.str("object", "file")
	w.reqStr("id", m[0])
	w.reqStr("name", m[1])
	w.optEnum("type", m[2], legacyFileTypes...)
	w.optStr("presignedUrl", m[3])
	w.optStr("parentFileId", m[4])
	if m[5].IsObject() {
		w.key("contents")
		w.b = refAppendFileContents(w.b, m[5])
	}
	w.key("metadata")
	w.b = refAppendFileMetadata(w.b, m[6])
	w.reqStr("createdAt", m[7])
	w.reqStr("updatedAt", m[8])
	return w.close()
}

func refAppendFileContents(b []byte, c gjson.Result) []byte {
	m := refMembers(c, "rawText", "sections", "pages", "sheets")
	w := openObj(b)
	w.optStr("rawText", m[0])
	if secs := m[1]; secs.IsArray() {
		var md []byte
		n := 0
		secs.ForEach(func(_, s gjson.Result) bool {
			if m := s.Get("markdown"); m.Type == gjson.String {
				if n > 0 {
					md = append(md, "\n\n"...)
				}
				md = append(md, m.Str...)
				n++
			}
			return true
		})
		if n > 0 {
			w.str("markdown", string(md))
		}
	}
	if pages := m[2]; pages.IsArray() {
		w.key("pages")
		w.b = refAppendArray(w.b, pages, func(b []byte, p gjson.Result) ([]byte, bool) {
			if !p.IsObject() {
				return b, false
			}
			pm := refMembers(p, "pageNumber", "pageHeight", "pageWidth", "markdown", "html")
			pw := openObj(b)
			pw.optNum("pageNumber", pm[0])
			pw.optNum("pageHeight", pm[1])
			pw.optNum("pageWidth", pm[2])
			pw.optStr("markdown", pm[3])
			pw.optStr("html", pm[4])
			return pw.close(), true
		})
	}
	if sheets := m[3]; sheets.IsArray() {
		w.key("sheets")
		w.b = refAppendArray(w.b, sheets, func(b []byte, s gjson.Result) ([]byte, bool) {
			if !s.IsObject() {
				return b, false
			}
			sw := openObj(b)
			sw.reqStr("sheetName", s.Get("sheetName"))
			sw.optStr("rawText", s.Get("rawText"))
			return sw.close(), true
		})
	}
	return w.close()
}

func refAppendFileMetadata(b []byte, md gjson.Result) []byte {
	mw := openObj(b)
	mw.optNum("pageCount", md.Get("pageCount"))
	if ps := md.Get("parentSplit"); ps.IsObject() {
		mw.key("parentSplit")
		pw := openObj(mw.b)
		pw.reqStr("id", ps.Get("id"))
		pw.reqStr("type", ps.Get("type"))
		pw.reqStr("identifier", ps.Get("identifier"))
		pw.optNum("startPage", ps.Get("startPage"))
		pw.optNum("endPage", ps.Get("endPage"))
		mw.b = pw.close()
	}
	return mw.close()
}

func refAppendLegacyWorkflow(b []byte, wf gjson.Result) []byte {
	w := openObj(b)
	w.str("object", "workflow")
	w.reqStr("id", wf.Get("id"))
	if v := wf.Get("draftVersion.version"); v.Type == gjson.String {
		w.raw("version", v.Raw)
	} else {
		w.str("version", "draft")
	}
	w.reqStr("name", wf.Get("name"))
	return w.close()
}

func refAppendParserRunStatus(b []byte, run gjson.Result, tagged bool) []byte {
	w := openObj(b)
	if tagged {
		w.str("object", "parser_run_status")
	}
	w.reqStr("id", run.Get("id"))
	w.str("status", legacyParseStatus(run.Get("status").String()))
	w.optStr("failureReason", run.Get("failureReason"))
	return w.close()
}

func refAppendParserRun(b []byte, run gjson.Result, c *Context, tagged bool) []byte {
	m := refMembers(run, "id", "file", "output", "status", "failureReason", "metrics", "config", "usage")
	chunks := refMembers(m[2], "chunks")[0]
	w := openObj(b)
	if tagged {
		w.str("object", "parser_run")
	}
	w.reqStr("id", m[0])
	w.reqStr("fileId", m[1].Get("id"))
	w.key("chunks")
	w.b = refAppendArray(w.b, chunks, func(b []byte, ch gjson.Result) ([]byte, bool) {
		if !ch.IsObject() {
			return b, false
		}
		return refAppendChunk(b, ch, c), true
	})
	// A failed run (null output) has no chunks: refAppendArray writes [] (D5).
	w.str("status", legacyParseStatus(m[3].String()))
	w.optStr("failureReason", m[4])
	w.key("metrics")
	if mt := m[5]; mt.IsObject() {
		mw := openObj(w.b)
		mw.raw("processingTimeMs", refNumOr(mt.Get("processingTimeMs"), "0"))
		mw.raw("pageCount", refNumOr(mt.Get("pageCount"), "0"))
		w.b = mw.close()
	} else {
		c.Report.synthesized("metrics")
		w.b = fmt.Appendf(w.b, `{"processingTimeMs":0,"pageCount":%d}`, refPagesIn(chunks))
	}
	w.key("config")
	if cfg := m[6]; cfg.IsObject() {
		w.b = refAppendLegacyParseConfig(w.b, cfg)
	} else {
		w.b = append(w.b, "{}"...)
	}
	if cr := m[7].Get("credits"); cr.Type == gjson.Number {
		w.key("usage")
		w.b = append(append(append(w.b, `{"credits":`...), cr.Raw...), '}')
	}
	return w.close()
}

func refNumOr(r gjson.Result, def string) string {
	if r.Type == gjson.Number {
		return r.Raw
	}
	return def
}

func refPagesIn(chunks gjson.Result) int64 {
	var n int64
	chunks.ForEach(func(_, ch gjson.Result) bool {
		if e := ch.Get("metadata.pageRange.end").Int(); e > n {
			n = e
		}
		return true
	})
	return n
}

func refAppendChunk(b []byte, ch gjson.Result, c *Context) []byte {
	m := refMembers(ch, "type", "content", "metadata", "blocks")
	w := openObj(b)
	w.str("object", "chunk")
	w.reqStr("type", m[0])
	w.reqStr("content", m[1])
	w.key("metadata")
	mw := openObj(w.b)
	if pr := m[2].Get("pageRange"); pr.IsObject() {
		mw.key("pageRange")
		mw.b = refAppendNoNulls(mw.b, pr)
	}
	w.b = mw.close()
	w.key("blocks")
	w.b = refAppendArray(w.b, m[3], func(b []byte, bl gjson.Result) ([]byte, bool) {
		return refAppendBlock(b, bl, c)
	})
	return w.close()
}

func refAppendBlock(b []byte, bl gjson.Result, c *Context) ([]byte, bool) {
	if !bl.IsObject() {
		return b, false
	}
	m := refMembers(bl, "id", "type", "content", "details", "metadata", "polygon", "boundingBox")
	typ := m[1].String()
	known := false
	for _, t := range legacyBlockTypes {
		known = known || t == typ
	}
	if !known {
		switch c.Options.ParseBlockTypes {
		case BlockTypesDrop:
			c.Report.unmapped("chunks.#.blocks.#")
			return b, false
		case BlockTypesPassthrough:
		default:
			typ = "text"
		}
	}
	w := openObj(b)
	w.str("object", "block")
	w.reqStr("id", m[0])
	w.str("type", typ)
	w.reqStr("content", m[2])
	w.key("details")
	w.b = refAppendBlockDetails(w.b, m[3], c.Options.ParseBlockTypes == BlockTypesPassthrough)
	w.key("metadata")
	mw := openObj(w.b)
	if pg := m[4].Get("page"); pg.IsObject() {
		mw.key("page")
		mw.b = refAppendNoNulls(mw.b, pg)
	}
	w.b = mw.close()
	w.key("polygon")
	w.b = refAppendNoNullsOr(w.b, m[5], "[]")
	w.key("boundingBox")
	w.b = refAppendNoNullsOr(w.b, m[6], "{}")
	return w.close(), true
}

func refAppendNoNullsOr(b []byte, v gjson.Result, def string) []byte {
	if v.IsObject() || v.IsArray() {
		return refAppendNoNulls(b, v)
	}
	return append(b, def...)
}

func refParseResponseT(c *Context, m Message) (Message, error) {
	run, err := refParseRunBody(m)
	if err != nil {
		return Message{}, err
	}
	return One(refAppendParserRun(nil, run, c, false)), nil
}

func refParseAsyncResponse(_ *Context, m Message) (Message, error) {
	run, err := refParseRunBody(m)
	if err != nil {
		return Message{}, err
	}
	return One(refAppendParserRunStatus(nil, run, false)), nil
}

func refParserRunGetResponse(c *Context, m Message) (Message, error) {
	run, err := refParseRunBody(m)
	if err != nil {
		return Message{}, err
	}
	w := openObj(nil)
	w.raw("success", "true")
	w.key("parserRun")
	if isSettledParse(run.Get("status").String()) {
		w.b = refAppendParserRun(w.b, run, c, true)
	} else {
		w.b = refAppendParserRunStatus(w.b, run, true)
	}
	return One(w.close()), nil
}

func refParseRunBody(m Message) (gjson.Result, error) {
	_, run, err := refBodyOf(m)
	if err != nil {
		return gjson.Result{}, err
	}
	if run.Get("id").Type != gjson.String || run.Get("status").Type != gjson.String {
		return gjson.Result{}, fmt.Errorf("%w: parse run without id or status", ErrInvalidResponse)
	}
	return run, nil
}

func refAppendLegacyParseConfig(b []byte, cfg gjson.Result) []byte {
	d, root, ok := parseDoc([]byte(cfg.Raw))
	if !ok {
		return append(b, "{}"...)
	}
	defer d.free()
	return d.appendParser(b, root)
}

func refAppendBlockDetails(b []byte, d gjson.Result, keep bool) []byte {
	if t := d.Get("type"); !keep && t.Exists() && !legacyDetailTypes[t.String()] {
		return append(b, "{}"...)
	}
	return refAppendNoNullsOr(b, d, "{}")
}

func refAppendSurfaceProcessorRun(b []byte, run gjson.Result) []byte {
	w := openObj(b)
	run.ForEach(func(k, v gjson.Result) bool {
		name := k.Str
		if !legacyProcessorRunKeys[name] || (v.Type == gjson.Null && name != "output") {
			return true
		}
		w.key(name)
		switch {
		case name == "files" && v.IsArray():
			w.b = refAppendArray(w.b, v, func(b []byte, f gjson.Result) ([]byte, bool) {
				if !f.IsObject() {
					return b, false
				}
				return refAppendSurfaceFile(b, f), true
			})
		case name == "config" && v.IsObject():
			w.b = refAppendSurfaceConfig(w.b, v)
		default:
			w.b = refAppendNoNulls(w.b, v)
		}
		return true
	})
	return w.close()
}

func refAppendLegacyShapes(b []byte, v gjson.Result) []byte {
	if v.IsArray() { // a version list: each version's config too
		return refAppendArray(b, v, func(b []byte, x gjson.Result) ([]byte, bool) {
			return refAppendLegacyShapes(b, x), true // elements kept as they are, as refAppendNoNulls does
		})
	}
	if !v.IsObject() {
		return refAppendNoNulls(b, v)
	}
	w := openObj(b)
	v.ForEach(func(k, x gjson.Result) bool {
		if x.Type == gjson.Null {
			return true
		}
		w.key(k.Str)
		if k.Str == "config" && x.IsObject() {
			w.b = refAppendSurfaceConfig(w.b, x)
		} else {
			w.b = refAppendLegacyShapes(w.b, x)
		}
		return true
	})
	return w.close()
}

func refAppendSurfaceConfig(b []byte, cfg gjson.Result) []byte {
	out := refAppendNoNulls(nil, cfg)
	agentic := gjson.GetBytes(out, "parser.blockOptions.text.agentic")
	if !agentic.Exists() {
		return append(b, out...)
	}
	if edited, err := sjson.DeleteBytes(out, "parser.blockOptions.text.agentic"); err == nil {
		out = edited
	}
	// The request side made these containers to hold agentic; emptied, they
	// have no legacy meaning and the client never sent them.
	for _, p := range []string{"parser.blockOptions.text", "parser.blockOptions"} {
		if v := gjson.GetBytes(out, p); v.IsObject() && len(v.Map()) == 0 {
			if edited, err := sjson.DeleteBytes(out, p); err == nil {
				out = edited
			}
		}
	}
	if en := agentic.Get("enabled"); en.IsBool() {
		if edited, err := sjson.SetRawBytes(out, "parser.advancedOptions.agenticOcrEnabled", []byte(en.Raw)); err == nil {
			out = edited
		}
	}
	return append(b, out...)
}
