package sim

import (
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

var (
	procKeys        = []string{"object", "id", "name", "type", "createdAt", "updatedAt", "draftVersion"}
	procVersionReq  = []string{"object", "id", "processorId", "processorType", "version", "config", "createdAt", "updatedAt"}
	procVersionOpt  = []string{"processorName", "description"}
	procRunReq      = []string{"object", "id", "processorId", "processorVersionId", "processorName", "status", "output", "reviewed", "edited", "edits", "type", "config", "files", "mergedProcessors", "url"}
	procRunOpt      = []string{"failureReason", "failureMessage", "metadata", "initialOutput", "reviewedOutput", "usage"}
	procSummaryReq  = []string{"id", "status", "processorId", "processorName", "processorVersionId", "createdAt", "updatedAt"}
	procSummaryOpt  = []string{"type", "usage"}
	extractorConfig = `{"type":"EXTRACT","schema":{"type":"object","properties":{"invoice_number":{"type":"string"},"po_number":{"type":"string"}}},"parser":{"target":"markdown","advancedOptions":{"agenticOcrEnabled":true}}}`
)

func checkProcessor(t *testing.T, where string, p gjson.Result, legacy bool) {
	t.Helper()
	exactKeys(t, where, p, procKeys, nil)
	exactKeys(t, where+".draftVersion", p.Get("draftVersion"), procVersionReq, procVersionOpt)
	if legacy {
		noNulls(t, where, p)
	}
}

func TestProcessorsBothVersions(t *testing.T) {
	e := newEnv(t, Options{})
	list := e.do("GET", "/processors?type=EXTRACT", "").mustStatus(t, 200).json
	exactKeys(t, "list", list, []string{"success", "processors"}, []string{"warning", "nextPageToken"})
	if list.Get("warning").Type != gjson.Null || list.Get("nextPageToken").Type != gjson.Null || list.Get("processors.#").Int() != 2 {
		t.Errorf("2026 list sends nullable keys as null: %s", list.Raw)
	}
	for _, p := range list.Get("processors").Array() {
		exactKeys(t, "list.processors[]", p, []string{"object", "id", "name", "type", "versions", "createdAt", "updatedAt"}, nil)
	}
	ll := e.legacy("GET", "/processors?maxPageSize=1&sortBy=updatedAt", "").mustStatus(t, 200).json
	exactKeys(t, "legacy list", ll, []string{"success", "processors"}, []string{"warning", "nextPageToken"})
	if ll.Get("nextPageToken").String() == "" || ll.Get("warning").Exists() {
		t.Errorf("legacy list: %s", ll.Raw)
	}
	c := e.legacy("POST", "/processors", `{"name":"PO Extractor","type":"EXTRACT","config":`+extractorConfig+`}`).mustStatus(t, 200).json
	checkProcessor(t, "legacy create", c.Get("processor"), true)
	id := c.Get("processor.id").String()
	if !strings.HasPrefix(id, "ex_") || c.Get("processor.draftVersion.config.parser.advancedOptions.agenticOcrEnabled").Bool() != true {
		t.Errorf("legacy create: %s", c.Raw)
	}
	u := e.do("POST", "/processors/"+id, `{"name":"PO Extractor v2"}`).mustStatus(t, 200).json
	checkProcessor(t, "update", u.Get("processor"), false)
	if u.Get("processor.name").String() != "PO Extractor v2" || !u.Get("processor.draftVersion.config.parser.blockOptions.text.agentic.enabled").Bool() ||
		u.Get("processor.draftVersion.config.parser.advancedOptions.agenticOcrEnabled").Exists() {
		t.Errorf("2026 view of the legacy config: %s", u.Get("processor.draftVersion.config").Raw)
	}
	pub := e.do("POST", "/processors/"+id+"/publish", `{"releaseType":"major","description":"first"}`).mustStatus(t, 200).json
	exactKeys(t, "publish", pub, []string{"success", "processorVersion"}, nil)
	exactKeys(t, "publish.processorVersion", pub.Get("processorVersion"), procVersionReq, procVersionOpt)
	pub2 := e.legacy("POST", "/processors/"+id+"/publish", `{"releaseType":"minor"}`).mustStatus(t, 200).json
	if pub.Get("processorVersion.version").String() != "1.0" || pub2.Get("processorVersion.version").String() != "1.1" {
		t.Errorf("versions %s, %s", pub.Get("processorVersion.version"), pub2.Get("processorVersion.version"))
	}
	vs := e.legacy("GET", "/processors/"+id+"/versions", "").mustStatus(t, 200).json
	exactKeys(t, "versions", vs, []string{"success", "versions"}, nil)
	if got := vs.Get("versions.#.version").Raw; got != `["1.1","1.0","draft"]` {
		t.Errorf("versions %s", got)
	}
	vid := pub.Get("processorVersion.id").String()
	v := e.do("GET", "/processors/"+id+"/versions/"+vid, "").mustStatus(t, 200).json
	exactKeys(t, "version get", v, []string{"success", "version"}, nil)
	if v.Get("version.description").String() != "first" {
		t.Errorf("version get: %s", v.Raw)
	}
	assertLegacyError(t, e.legacy("GET", "/processors/"+id+"/versions/exv_nope", ""), 404)
	assertAPIError(t, e.do("GET", "/processors/ex_nope/versions", ""), 404, codeNotFound)
	assertAPIError(t, e.do("POST", "/processors/ex_nope", `{}`), 404, codeNotFound)
}

func TestProcessorValidation(t *testing.T) {
	e := newEnv(t, Options{})
	bad := []string{
		`{}`, `{"name":"x"}`, `{"name":"x","type":"OCR"}`, `{"name":"","type":"EXTRACT"}`,
		`{"name":"x","type":"EXTRACT","config":{"type":"CLASSIFY","classifications":[]}}`,
		`{"name":"x","type":"CLASSIFY","config":{"type":"CLASSIFY"}}`,
		`{"name":"x","type":"EXTRACT","config":{"type":"EXTRACT","advancedOptions":{"pageRanges":[{"start":2}]}}}`,
		`{"name":"x","type":"EXTRACT","config":{"type":"EXTRACT","parser":{"advancedOptions":{"agenticOcrEnabled":true}}}}`,
		`{"name":"x","type":"EXTRACT","extra":true}`,
	}
	for _, b := range bad {
		assertAPIError(t, e.do("POST", "/processors", b), 400, codeInvalid)
	}
	// what 2026-02-09 refuses, 2025-04-21 accepted (S§4.0)
	e.legacy("POST", "/processors", `{"name":"x","type":"EXTRACT","config":{"type":"EXTRACT","advancedOptions":{"pageRanges":[{"start":2}]}}}`).mustStatus(t, 200)
	assertLegacyError(t, e.legacy("POST", "/processors", `{"name":"x","type":"EXTRACT","config":{"type":"EXTRACT","parser":{"engineVersion":"2"}}}`), 400)
	assertLegacyError(t, e.legacy("POST", "/processors", `{"name":"x","type":"EXTRACT","cloneProcessorId":"ex_missing"}`), 404)
	assertAPIError(t, e.do("GET", "/processors?sortBy=name", ""), 400, codeInvalid)
	assertAPIError(t, e.do("POST", "/processors/"+ExtractorID+"/publish", `{"releaseType":"patch"}`), 400, codeInvalid)
	assertLegacyError(t, e.legacy("POST", "/processors/"+ExtractorID, `{"config":{"type":"SPLITTER","splitClassifications":[]}}`), 400)
}

func TestProcessorRunsBothVersions(t *testing.T) {
	e := newEnv(t, Options{})
	fid := e.uploadID("invoice.pdf", "%PDF /Type /Page")
	c := e.do("POST", "/processor_runs", `{"processorId":"`+ExtractorID+`","file":{"fileId":"`+fid+`"},"metadata":{"ref":"A-1"}}`).mustStatus(t, 200).json
	exactKeys(t, "create", c, []string{"success", "processorRun"}, nil)
	run := c.Get("processorRun")
	exactKeys(t, "run", run, procRunReq, procRunOpt)
	id := run.Get("id").String()
	if run.Get("status").String() != "PENDING" || run.Get("output").Raw != "{}" || !strings.HasPrefix(id, "exr_") {
		t.Errorf("new run: %s", run.Raw)
	}
	checkNewFile(t, "run.files[]", run.Get("files.0"))
	e.clock.Advance(time.Minute)
	g := e.do("GET", "/processor_runs/"+id, "").mustStatus(t, 200).json.Get("processorRun")
	if g.Get("status").String() != "PROCESSED" || g.Get("output.value.invoice_number").String() != "INV-0042" ||
		g.Get("output.metadata.vendor_name.logprobsConfidence").Type != gjson.Null || g.Get("files.0.contents.sections.#").Int() != 1 ||
		g.Get("files.0.usage").Exists() || g.Get("files.0.contents.markdown").Exists() {
		t.Errorf("2026 processed run: %s", g.Raw)
	}
	lg := e.legacy("GET", "/processor_runs/"+id, "").mustStatus(t, 200).json.Get("processorRun")
	exactKeys(t, "legacy run", lg, procRunReq, procRunOpt)
	noNulls(t, "legacy run", lg)
	checkLegacyFile(t, "legacy run.files[]", lg.Get("files.0"))
	if lg.Get("output.metadata.vendor_name.logprobsConfidence").Exists() || lg.Get("files.0.contents.markdown").String() == "" ||
		lg.Get("config.parser.target").String() != "markdown" || lg.Get("usage.credits").Float() != 1 {
		t.Errorf("legacy run: %s", lg.Raw)
	}
	assertLegacyError(t, e.legacy("POST", "/processor_runs/"+id+"/cancel", ""), 400)
	slow := e.legacy("POST", "/processor_runs", `{"processorId":"`+LegacyClassifierID+`","rawText":"Invoice 42","priority":5}`).mustStatus(t, 200).json
	sid := slow.Get("processorRun.id").String()
	can := e.do("POST", "/processor_runs/"+sid+"/cancel", "").mustStatus(t, 200).json
	if can.Get("processorRun.status").String() != "CANCELLED" || can.Get("processorRun.type").String() != "CLASSIFY" {
		t.Errorf("cancel: %s", can.Raw)
	}
	sync := e.legacy("POST", "/processor_runs", `{"processorId":"`+SplitterID+`","file":{"fileUrl":"https://f.example.org/p.pdf"},"sync":true}`).mustStatus(t, 200).json
	if sync.Get("processorRun.status").String() != "PROCESSED" || sync.Get("processorRun.output.splits.0.fileId").String() == "" {
		t.Errorf("sync split: %s", sync.Raw)
	}
	l := e.legacy("GET", "/processor_runs?processorType=CLASSIFY&status=CANCELLED", "").mustStatus(t, 200).json
	exactKeys(t, "list", l, []string{"success", "processorRuns"}, []string{"nextPageToken"})
	if l.Get("processorRuns.#").Int() != 1 || l.Get("processorRuns.0.id").String() != sid {
		t.Errorf("filtered list: %s", l.Raw)
	}
	exactKeys(t, "list.processorRuns[]", l.Get("processorRuns.0"), procSummaryReq, procSummaryOpt)
	n := e.do("GET", "/processor_runs?maxPageSize=2&sortDir=asc", "").mustStatus(t, 200).json
	if n.Get("processorRuns.0.id").String() != id || n.Get("nextPageToken").String() == "" {
		t.Errorf("paged list: %s", n.Raw)
	}
	d := e.legacy("DELETE", "/processor_runs/"+id, "").mustStatus(t, 200).json
	exactKeys(t, "delete", d, []string{"success", "documentProcessorRunId", "message"}, nil)
	assertAPIError(t, e.do("GET", "/processor_runs/"+id, ""), 404, codeNotFound)
	assertAPIError(t, e.do("DELETE", "/processor_runs/"+id, ""), 404, codeNotFound)
	assertLegacyError(t, e.legacy("POST", "/processor_runs/"+id+"/cancel", ""), 404)
}

func TestProcessorRunErrorsAndBatch(t *testing.T) {
	e := newEnv(t, Options{})
	bad := []string{
		`{}`, `{"processorId":"` + ExtractorID + `"}`, `{"processorId":"` + ExtractorID + `","rawText":"a","file":{"fileUrl":"https://x/a.pdf"}}`,
		`{"processorId":"` + ExtractorID + `","rawText":"a","priority":1000}`, `{"processorId":"` + ExtractorID + `","rawText":"a","sync":"yes"}`,
		`{"processorId":"` + ExtractorID + `","rawText":"a","config":{"type":"EXTRACT","parser":{"advancedOptions":{"agenticOcrEnabled":true}}}}`,
		`{"processorId":"` + ExtractorID + `","file":{"url":"https://x/a.pdf"}}`,
	}
	for _, b := range bad {
		assertAPIError(t, e.do("POST", "/processor_runs", b), 400, codeInvalid)
	}
	e.legacy("POST", "/processor_runs", `{"processorId":"`+ExtractorID+`","rawText":"a","config":{"type":"EXTRACT","parser":{"advancedOptions":{"agenticOcrEnabled":true}}}}`).mustStatus(t, 200)
	assertLegacyError(t, e.legacy("POST", "/processor_runs", `{"processorId":"dp_unknown","rawText":"a"}`), 404)
	assertAPIError(t, e.do("POST", "/processor_runs", `{"processorId":"`+ExtractorID+`","version":"9.9","rawText":"a"}`), 404, codeNotFound)
	assertAPIError(t, e.do("GET", "/processor_runs?source=EMAIL", ""), 400, codeInvalid)
	failed := e.do("POST", "/processor_runs", `{"processorId":"`+ExtractorID+`","file":{"fileUrl":"https://f.example.org/x_fail.pdf"},"sync":true}`).mustStatus(t, 200).json
	lf := e.legacy("GET", "/processor_runs/"+failed.Get("processorRun.id").String(), "").mustStatus(t, 200).json
	for _, r := range []gjson.Result{failed.Get("processorRun"), lf.Get("processorRun")} {
		if r.Get("status").String() != "FAILED" || r.Get("failureReason").String() == "" || r.Get("output").Raw != "{}" || r.Get("usage").Exists() {
			t.Errorf("failed run: %s", r.Raw)
		}
	}
	b := e.do("GET", "/batch_processor_runs/"+BatchProcessorRunID, "").mustStatus(t, 200).json
	lb := e.legacy("GET", "/batch_processor_runs/"+BatchProcessorRunID, "").mustStatus(t, 200).json
	if b.Raw != lb.Raw {
		t.Errorf("batch processor run differs between versions:\n%s\n%s", b.Raw, lb.Raw)
	}
	exactKeys(t, "batch", b.Get("batchProcessorRun"), []string{"object", "id", "processorId", "processorVersionId", "processorName", "metrics", "status", "source", "runCount", "options", "createdAt", "updatedAt"}, []string{"sourceId"})
	assertLegacyError(t, e.legacy("GET", "/batch_processor_runs/bpr_nope", ""), 404)
	if n := len(e.sim.st.procRuns.all()); n != 2 {
		t.Errorf("%d processor runs, want the 2 good ones", n)
	}
}
