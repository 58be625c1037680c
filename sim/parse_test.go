package sim

import (
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

var (
	parseRunKeys       = []string{"object", "id", "file", "status", "failureReason", "failureMessage", "metadata", "output", "outputUrl", "metrics", "config", "usage"}
	legacyParserReq    = []string{"id", "fileId", "chunks", "status", "metrics", "config"}
	legacyParserOpt    = []string{"failureReason", "usage"}
	chunkKeys          = []string{"object", "type", "content", "metadata", "blocks"}
	blockKeys          = []string{"object", "id", "type", "content", "details", "metadata", "polygon", "boundingBox"}
	legacyBlockTypeSet = "text heading section_heading table figure"
)

func checkChunks(t *testing.T, where string, chunks gjson.Result, legacy bool) {
	t.Helper()
	if len(chunks.Array()) == 0 {
		t.Fatalf("%s: no chunks", where)
	}
	for _, c := range chunks.Array() {
		exactKeys(t, where+"[]", c, chunkKeys, nil)
		exactKeys(t, where+"[].metadata", c.Get("metadata"), []string{"pageRange"}, nil)
		for _, b := range c.Get("blocks").Array() {
			exactKeys(t, where+".blocks[]", b, blockKeys, []string{"parentBlockId", "children"})
			bb := b.Get("boundingBox")
			if legacy {
				exactKeys(t, "legacy boundingBox", bb, nil, []string{"left", "top", "right", "bottom"})
				if !strings.Contains(legacyBlockTypeSet, b.Get("type").String()) {
					t.Errorf("legacy block type %s", b.Get("type"))
				}
			} else {
				exactKeys(t, "boundingBox", bb, []string{"left", "top", "right", "bottom"}, nil)
			}
		}
	}
}

func TestParseSyncBothVersions(t *testing.T) {
	e := newEnv(t, Options{})
	fid := e.upload(newVersion, "scan.pdf", "%PDF /Type /Page /Type /Page", nil).mustStatus(t, 200).json.Get("id").String()
	n := e.do("POST", "/parse", `{"file":{"id":"`+fid+`"},"config":{"chunkingStrategy":{"type":"page"},"blockOptions":{"keyValue":{}}},"metadata":{"k":1}}`).mustStatus(t, 200).json
	exactKeys(t, "parse", n, parseRunKeys, []string{"batchId"})
	exactKeys(t, "parse.file", n.Get("file"), fileKeys, nil)
	checkChunks(t, "output.chunks", n.Get("output.chunks"), false)
	types := n.Get("output.chunks.0.blocks.#.type").Raw
	for _, want := range []string{"header", "key_value", "page_number", "footer", "table", "figure"} {
		if !strings.Contains(types, `"`+want+`"`) {
			t.Errorf("2026 block types %s lack %s", types, want)
		}
	}
	if n.Get("status").String() != "PROCESSED" || n.Get("metrics.pageCount").Int() != 2 || n.Get("output.chunks.#").Int() != 2 ||
		n.Get("metadata.k").Int() != 1 || n.Get("file.id").String() != fid || n.Get("output.chunks.0.blocks.6.boundingBox.left").Type != gjson.Null {
		t.Errorf("2026 parse: %s", n.Raw)
	}
	l := e.legacy("POST", "/parse", `{"file":{"fileUrl":"https://f.example.org/a/report.pdf"},"config":{"chunkingStrategy":{"type":"document"},"advancedOptions":{"agenticOcrEnabled":true,"pageRanges":[{"end":1}]}}}`).mustStatus(t, 200).json
	exactKeys(t, "legacy parse", l, legacyParserReq, legacyParserOpt)
	noNulls(t, "legacy parse", l)
	checkChunks(t, "chunks", l.Get("chunks"), true)
	if l.Get("status").String() != "PROCESSED" || l.Get("chunks.#").Int() != 1 || l.Get("config.advancedOptions.agenticOcrEnabled").Bool() != true ||
		l.Get("chunks.0.blocks.6.boundingBox.left").Exists() || l.Get("usage.credits").Float() != 2 {
		t.Errorf("legacy parse: %s", l.Raw)
	}
	// the same run read in 2026: the legacy switch is the 2026 agentic object, page ranges are closed
	pr := e.do("GET", "/parse_runs/"+l.Get("id").String(), "").mustStatus(t, 200).json
	if pr.Get("config.blockOptions.text.agentic.enabled").Bool() != true || pr.Get("config.advancedOptions.agenticOcrEnabled").Exists() ||
		pr.Get("config.advancedOptions.pageRanges.0.start").Int() != 1 || pr.Get("config.advancedOptions.pageRanges.0.end").Int() != 1 {
		t.Errorf("2026 view of a legacy config: %s", pr.Get("config").Raw)
	}
	// and a file made from a URL is a file of the files API
	e.legacy("GET", "/files/"+l.Get("fileId").String(), "").mustStatus(t, 200)
}

func TestParseRunsAsyncTimeline(t *testing.T) {
	e := newEnv(t, Options{})
	n := e.do("POST", "/parse_runs", `{"file":{"url":"https://f.example.org/x/contract.pdf","name":"contract.pdf"}}`).mustStatus(t, 200).json
	exactKeys(t, "parse run", n, parseRunKeys, []string{"batchId"})
	id := n.Get("id").String()
	if n.Get("status").String() != "PENDING" || n.Get("output").Type != gjson.Null || n.Get("metrics").Type != gjson.Null || n.Get("usage").Type != gjson.Null {
		t.Fatalf("new run: %s", n.Raw)
	}
	lg := e.legacy("GET", "/parser_runs/"+id, "").mustStatus(t, 200).json
	exactKeys(t, "legacy get", lg, []string{"success", "parserRun"}, []string{"warning"})
	exactKeys(t, "legacy status", lg.Get("parserRun"), []string{"object", "id", "status"}, []string{"failureReason"})
	if lg.Get("parserRun.object").String() != "parser_run_status" || lg.Get("parserRun.status").String() != "PROCESSING" {
		t.Errorf("legacy pending: %s", lg.Raw)
	}
	e.clock.Advance(time.Minute)
	lg = e.legacy("GET", "/parser_runs/"+id+"?responseType=json", "").mustStatus(t, 200).json
	exactKeys(t, "legacy run", lg.Get("parserRun"), append([]string{"object"}, legacyParserReq...), legacyParserOpt)
	if lg.Get("parserRun.object").String() != "parser_run" || lg.Get("parserRun.status").String() != "PROCESSED" {
		t.Errorf("legacy final: %s", lg.Raw)
	}
	u := e.do("GET", "/parse_runs/"+id+"?responseType=url", "").mustStatus(t, 200).json
	if u.Get("output").Type != gjson.Null || !strings.HasPrefix(u.Get("outputUrl").String(), "https://") {
		t.Errorf("responseType=url: %s", u.Raw)
	}
	la := e.legacy("POST", "/parse/async", `{"file":{"fileUrl":"https://f.example.org/x/b_fail.pdf"}}`).mustStatus(t, 200).json
	exactKeys(t, "parseAsync", la, []string{"id", "status"}, []string{"failureReason"})
	if la.Get("status").String() != "PROCESSING" {
		t.Errorf("parseAsync: %s", la.Raw)
	}
	e.clock.Advance(time.Minute)
	f := e.do("GET", "/parse_runs/"+la.Get("id").String(), "").mustStatus(t, 200).json
	lf := e.legacy("GET", "/parser_runs/"+la.Get("id").String(), "").mustStatus(t, 200).json
	if f.Get("status").String() != "FAILED" || f.Get("output").Type != gjson.Null || lf.Get("parserRun.chunks.#").Int() != 0 ||
		lf.Get("parserRun.failureReason").String() == "" {
		t.Errorf("failed run: %s / %s", f.Raw, lf.Raw)
	}
	// the vendor's sync /parse may answer PENDING: a file named _async scripts it
	p := e.do("POST", "/parse", `{"file":{"url":"https://f.example.org/x/slow_async.pdf"}}`).mustStatus(t, 200).json
	if p.Get("status").String() != "PENDING" {
		t.Errorf("_async parse: %s", p.Get("status"))
	}
}

func TestParseDeleteAndErrors(t *testing.T) {
	e := newEnv(t, Options{})
	a := e.do("POST", "/parse_runs", `{"file":{"url":"https://f.example.org/a.pdf"}}`).mustStatus(t, 200).json.Get("id").String()
	b := e.legacy("POST", "/parse/async", `{"file":{"fileUrl":"https://f.example.org/b.pdf"}}`).mustStatus(t, 200).json.Get("id").String()
	exactKeys(t, "delete", e.do("DELETE", "/parse_runs/"+b, "").mustStatus(t, 200).json, []string{"id"}, nil)
	ld := e.legacy("DELETE", "/parser_runs/"+a, "").mustStatus(t, 200).json
	exactKeys(t, "legacy delete", ld, []string{"success", "parserRunId", "message"}, nil)
	if ld.Get("message").String() != parserRunDeleteMessage {
		t.Errorf("message %s", ld.Get("message"))
	}
	assertAPIError(t, e.do("GET", "/parse_runs/"+a, ""), 404, codeNotFound)
	assertLegacyError(t, e.legacy("GET", "/parser_runs/"+b, ""), 404)
	assertLegacyError(t, e.legacy("DELETE", "/parser_runs/"+b, ""), 404)
	bad2026 := []string{
		`{}`, `{"file":{"fileUrl":"https://x/a.pdf"}}`, `{"file":{"url":"ftp://x/a.pdf"}}`, `{"file":{"id":1}}`,
		`{"file":{"url":"https://x/a.pdf"},"config":{"advancedOptions":{"agenticOcrEnabled":true}}}`,
		`{"file":{"url":"https://x/a.pdf"},"config":{"advancedOptions":{"pageRanges":[{"start":1}]}}}`,
		`{"file":{"url":"https://x/a.pdf"},"config":{"target":"pdf"}}`, `{"file":{"url":"https://x/a.pdf"},"extra":1}`,
		`[1]`, `not json`,
	}
	for _, body := range bad2026 {
		assertAPIError(t, e.do("POST", "/parse", body), 400, codeInvalid)
	}
	badLegacy := []string{
		`{}`, `{"file":{}}`, `{"file":{"fileUrl":"https://x/a.pdf","fileId":"file_1"}}`, `{"file":{"url":"https://x/a.pdf"}}`,
		`{"file":{"fileUrl":"https://x/a.pdf"},"config":{"blockOptions":{"keyValue":{}}}}`,
		`{"file":{"fileUrl":"https://x/a.pdf"},"metadata":{}}`,
	}
	for _, body := range badLegacy {
		assertLegacyError(t, e.legacy("POST", "/parse", body), 400)
		assertLegacyError(t, e.legacy("POST", "/parse/async", body), 400)
	}
	assertLegacyError(t, e.legacy("POST", "/parse?responseType=xml", `{"file":{"fileUrl":"https://x/a.pdf"}}`), 400)
	assertAPIError(t, e.do("POST", "/parse", `{"file":{"id":"file_missing"}}`), 404, codeNotFound)
	assertLegacyError(t, e.legacy("POST", "/parse", `{"file":{"fileId":"file_missing"}}`), 404)
	if n := len(e.sim.st.parseRuns.all()); n != 0 {
		t.Errorf("%d parse runs left after bad requests", n)
	}
}
