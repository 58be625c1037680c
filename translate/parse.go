package translate

import (
	"fmt"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

// Parse (S§2, S§3): POST /parse changed shape, /parse/async became
// POST /parse_runs, /parser_runs/{id} became /parse_runs/{id}.

const parserRunDeletedMessage = "Parser run data has been successfully deleted."

// legacyBlockTypes is the closed 0.0.12 BlockType enum.
var legacyBlockTypes = []string{"text", "heading", "section_heading", "table", "figure"}

// Values of Options.ParseBlockTypes (D5).
const (
	BlockTypesText        = "text"
	BlockTypesDrop        = "drop"
	BlockTypesPassthrough = "passthrough"
)

var parseRequestKeys = []string{"file", "config"}

// parseRequestT turns a legacy parse or parseAsync body into a 2026-02-09
// one: file {fileUrl, fileName} becomes {url, name}, {fileId} becomes {id}
// (a name sent with an id is dropped), and the config is readied like the
// processor family's parser (agentic OCR, page ranges).
func parseRequestT(c *Context, m Message) (Message, error) {
	d, root, err := requestDoc(m, parseRequestKeys, c)
	if err != nil {
		return Message{}, err
	}
	defer d.free()
	var f [2]gjson.Result
	d.pick(root, parseRequestKeys, f[:])
	file, cfg := f[0], f[1]
	if !file.IsObject() {
		return Message{}, reqErr("file", "is required and must be an object with fileUrl or fileId")
	}
	fp := reqPath{key: "file", idx: -1}
	w := openObj(make([]byte, 0, len(d.src)+16))
	w.key("file")
	if w.b, _, err = d.appendFile(w.b, file, &fp, batchFileKeys, &c.Options, c.Report); err != nil {
		return Message{}, err
	}
	if !absent(cfg) {
		if !cfg.IsObject() {
			return Message{}, reqErr("config", "must be an object")
		}
		out, err := sanitizeParseConfig([]byte(cfg.Raw), "config", c.Options.OpenPageRangeEnd)
		if err != nil {
			return Message{}, err
		}
		w.rawb("config", out)
	}
	return Message{Bodies: [][]byte{w.close()}, Query: m.Query}, nil
}

// sanitizeParseConfig applies D3 to a ParseConfig on its own: agenticOcrEnabled
// becomes blockOptions.text.agentic, page ranges get their start and end.
func sanitizeParseConfig(cfg []byte, at string, openEnd int) ([]byte, error) {
	out := cfg
	var err error
	if aoc := gjson.GetBytes(cfg, "advancedOptions.agenticOcrEnabled"); aoc.Exists() {
		if out, err = sjson.DeleteBytes(out, "advancedOptions.agenticOcrEnabled"); err != nil {
			return nil, reqErr(at+".advancedOptions", "could not be rewritten")
		}
		if aoc.Type == gjson.True && !gjson.GetBytes(cfg, "blockOptions.text.agentic").Exists() {
			if out, err = sjson.SetRawBytes(out, "blockOptions.text.agentic", []byte(`{"enabled":true}`)); err != nil {
				return nil, reqErr(at+".blockOptions", "could not be rewritten")
			}
		}
	}
	// Wrapped under its own key, errors name the field as the client sent it.
	wrapped := append(append(append(append([]byte(`{`), appendString(nil, at)...), ':'), out...), '}')
	if wrapped, err = completePageRanges(wrapped, at+".advancedOptions.pageRanges", openEnd); err != nil {
		return nil, err
	}
	return []byte(gjson.GetBytes(wrapped, at).Raw), nil
}

// legacyParseStatus is how a 2026-02-09 ParseRun status reads to a legacy client.
func legacyParseStatus(s string) string {
	if s == "PENDING" {
		return "PROCESSING" // legacy has no PENDING (S§2.2)
	}
	return s
}

// isSettledParse reports whether a ParseRun status is terminal.
func isSettledParse(s string) bool { return s == "PROCESSED" || s == "FAILED" }

// appendParserRunStatus writes a legacy ParserRunStatus (S§2.2). tagged adds
// the object member: 0.0.12 declares it only inside parserRun.get's union
// (D5); the bare answer of parseAsync is a closed type without it.
func (d *doc) appendParserRunStatus(b []byte, run gjson.Result, tagged bool) []byte {
	var m [3]gjson.Result
	d.pick(run, runStatusKeys, m[:])
	w := openObj(b)
	if tagged {
		w.str("object", "parser_run_status")
	}
	w.reqStr("id", m[0])
	w.str("status", legacyParseStatus(resultString(m[1])))
	w.optStr("failureReason", m[2])
	return w.close()
}

// Keys read in one pass from each object of a parse run.
var (
	runStatusKeys  = []string{"id", "status", "failureReason"}
	parseRunKeys   = []string{"id", "file", "output", "status", "failureReason", "metrics", "config", "usage"}
	parseMetricKey = []string{"processingTimeMs", "pageCount"}
	chunkKeys      = []string{"type", "content", "metadata", "blocks"}
	blockKeys      = []string{"id", "type", "content", "details", "metadata", "polygon", "boundingBox"}
)

// appendParserRun writes a legacy ParserRun from a ParseRun (PR→LPR, S§2.1);
// tagged adds the object member, as for appendParserRunStatus.
func (d *doc) appendParserRun(b []byte, run gjson.Result, c *Context, tagged bool) []byte {
	var m [8]gjson.Result
	d.pick(run, parseRunKeys, m[:])
	chunks := d.get(m[2], "chunks")
	w := openObj(b)
	if tagged {
		w.str("object", "parser_run")
	}
	w.reqStr("id", m[0])
	w.reqStr("fileId", d.get(m[1], "id"))
	w.key("chunks")
	w.b = d.appendArray(w.b, chunks, func(b []byte, ch gjson.Result) ([]byte, bool) {
		if !ch.IsObject() {
			return b, false
		}
		return d.appendChunk(b, ch, c), true
	})
	// A failed run (null output) has no chunks: appendArray writes [] (D5).
	w.str("status", legacyParseStatus(resultString(m[3])))
	w.optStr("failureReason", m[4])
	w.key("metrics")
	if mt := m[5]; mt.IsObject() {
		var f [2]gjson.Result
		d.pick(mt, parseMetricKey, f[:])
		mw := openObj(w.b)
		mw.raw("processingTimeMs", numOr(f[0], "0"))
		mw.raw("pageCount", numOr(f[1], "0"))
		w.b = mw.close()
	} else {
		c.Report.synthesized("metrics")
		w.b = fmt.Appendf(w.b, `{"processingTimeMs":0,"pageCount":%d}`, d.pagesIn(chunks))
	}
	w.key("config")
	if cfg := m[6]; cfg.IsObject() {
		w.b = d.appendParser(w.b, cfg) // agenticOcrEnabled derived, 2026-only options dropped
	} else {
		w.b = append(w.b, "{}"...)
	}
	if cr := d.get(m[7], "credits"); cr.Type == gjson.Number {
		w.key("usage")
		w.b = append(append(append(w.b, `{"credits":`...), cr.Raw...), '}')
	}
	return w.close()
}

// numOr is r's raw number, or def when r is not a number.
func numOr(r gjson.Result, def string) string {
	if r.Type == gjson.Number {
		return r.Raw
	}
	return def
}

// pagesIn is the last page any chunk covers, the page count of last resort.
func (d *doc) pagesIn(chunks gjson.Result) int64 {
	var n int64
	d.each(chunks, func(_ string, ch gjson.Result) bool {
		if e := resultInt(d.path(ch, pathPageRangeEnd)); e > n {
			n = e
		}
		return true
	})
	return n
}

// appendChunk writes a legacy Chunk: nulls out, blocks mapped (D5).
func (d *doc) appendChunk(b []byte, ch gjson.Result, c *Context) []byte {
	var m [4]gjson.Result
	d.pick(ch, chunkKeys, m[:])
	w := openObj(b)
	w.str("object", "chunk")
	w.reqStr("type", m[0])
	w.reqStr("content", m[1])
	w.key("metadata")
	mw := openObj(w.b)
	if pr := d.get(m[2], "pageRange"); pr.IsObject() {
		mw.key("pageRange")
		mw.b = d.appendNoNulls(mw.b, pr)
	}
	w.b = mw.close()
	w.key("blocks")
	w.b = d.appendArray(w.b, m[3], func(b []byte, bl gjson.Result) ([]byte, bool) {
		return d.appendBlock(b, bl, c)
	})
	return w.close()
}

// appendBlock writes a legacy Block. A type outside the legacy enum is
// mapped to "text", dropped, or passed through (Options.ParseBlockTypes);
// parentBlockId and children have no legacy field.
func (d *doc) appendBlock(b []byte, bl gjson.Result, c *Context) ([]byte, bool) {
	if !bl.IsObject() {
		return b, false
	}
	var m [7]gjson.Result
	d.pick(bl, blockKeys, m[:])
	typ := resultString(m[1])
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
	w.b = d.appendBlockDetails(w.b, m[3], c.Options.ParseBlockTypes == BlockTypesPassthrough)
	w.key("metadata")
	mw := openObj(w.b)
	if pg := d.get(m[4], "page"); pg.IsObject() {
		mw.key("page")
		mw.b = d.appendNoNulls(mw.b, pg)
	}
	w.b = mw.close()
	w.key("polygon")
	w.b = d.appendNoNullsOr(w.b, m[5], "[]")
	w.key("boundingBox")
	w.b = d.appendNoNullsOr(w.b, m[6], "{}")
	return w.close(), true
}

// parseResponseT answers POST /parse: the bare legacy ParserRun.
func parseResponseT(c *Context, m Message) (Message, error) {
	return surfaceAnswer(c, m, func(b []byte, d *doc, run gjson.Result) ([]byte, error) {
		if err := checkParseRun(d, run); err != nil {
			return nil, err
		}
		return d.appendParserRun(b, run, c, false), nil
	})
}

// parseAsyncResponse answers POST /parse/async: a ParserRunStatus.
func parseAsyncResponse(c *Context, m Message) (Message, error) {
	return surfaceAnswer(c, m, func(b []byte, d *doc, run gjson.Result) ([]byte, error) {
		if err := checkParseRun(d, run); err != nil {
			return nil, err
		}
		return d.appendParserRunStatus(b, run, false), nil
	})
}

// parserRunGetResponse answers GET /parser_runs/{id}: a status while the run
// is not settled, else the full run (S§3.1); warning has no source.
func parserRunGetResponse(c *Context, m Message) (Message, error) {
	return surfaceAnswer(c, m, func(b []byte, d *doc, run gjson.Result) ([]byte, error) {
		if err := checkParseRun(d, run); err != nil {
			return nil, err
		}
		w := openObj(b)
		w.raw("success", "true")
		w.key("parserRun")
		if isSettledParse(d.get(run, "status").Str) {
			w.b = d.appendParserRun(w.b, run, c, true)
		} else {
			w.b = d.appendParserRunStatus(w.b, run, true)
		}
		return w.close(), nil
	})
}

// checkParseRun rejects a body that is not a parse run at all.
func checkParseRun(d *doc, run gjson.Result) error {
	var m [2]gjson.Result
	d.pick(run, runStatusKeys[:2], m[:])
	if m[0].Type != gjson.String || m[1].Type != gjson.String {
		return fmt.Errorf("%w: parse run without id or status", ErrInvalidResponse)
	}
	return nil
}

// parseSettled is the polling rule of the synchronous parse (D5): the run
// id, and whether its status is final.
func parseSettled(body []byte) (id string, settled bool) {
	return gjson.GetBytes(body, "id").String(), isSettledParse(gjson.GetBytes(body, "status").String())
}

// legacyDetailTypes are the BlockDetails variants 0.0.12 declares.
var legacyDetailTypes = map[string]bool{"table_details": true, "table_cell_details": true, "figure_details": true}

// appendBlockDetails writes a block's details; details of a kind 0.0.12 does
// not declare (text_details, key_value_details, barcode_details, ...) are
// its empty details {}, as a legacy client knows no such variant; keep
// (parseBlockTypes: passthrough) leaves them as they are.
func (d *doc) appendBlockDetails(b []byte, det gjson.Result, keep bool) []byte {
	if t := d.get(det, "type"); !keep && t.Exists() && !legacyDetailTypes[resultString(t)] {
		return append(b, "{}"...)
	}
	return d.appendNoNullsOr(b, det, "{}")
}
