package sim

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

func (e *env) legacyCreate(workflowID string) string {
	e.t.Helper()
	r := e.legacy("POST", "/workflow_runs", `{"workflowId":"`+workflowID+`","files":[{"fileUrl":"https://x.org/acme-invoice-0042.pdf"}]}`)
	return r.mustStatus(e.t, 200).json.Get("workflowRuns.0.id").String()
}

func TestLegacyFinishedRun(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.legacyCreate("workflow_invoice")
	e.clock.Advance(1500 * time.Millisecond) // PROCESSING, first step running
	mid := e.legacy("GET", "/workflow_runs/"+id, "").mustStatus(t, 200).json.Get("workflowRun")
	checkLegacyRun(t, mid)
	if mid.Get("status").String() != "PROCESSING" || mid.Get("outputs.#").Int() != 0 || mid.Get("files.0.usage").Exists() {
		t.Errorf("mid-run legacy: %s", mid.Raw)
	}
	e.finish()
	r := e.legacy("GET", "/workflow_runs/"+id, "").mustStatus(t, 200).json
	run := r.Get("workflowRun")
	checkLegacyRun(t, run)
	types := run.Get("outputs.#.type").Array()
	want := []string{"CLASSIFY", "SPLITTER", "EXTRACT", "EXTRACT", "EXTRACT"}
	for i, w := range want {
		if i >= len(types) || types[i].String() != w {
			t.Fatalf("output types %v, want %v", types, want)
		}
	}
	checks := map[string]string{
		"stepRuns.#.step.type":                                      `["RULE_VALIDATION","EXTERNAL_DATA_VALIDATION"]`,
		"stepRuns.0.output.rules.1.validArray":                      `["true","true"]`,
		"stepRuns.1.output.erpVendorId":                             "V-88120",
		"outputs.0.processorId":                                     LegacyClassifierID,
		"outputs.2.output.metadata.invoice_number.citations.0.page": "1",
		"outputs.2.files.0.parentFileId":                            run.Get("files.0.id").String(),
		"outputs.3.processorId":                                     "",
		"outputs.3.processorName":                                   "Merge header + lines",
		"outputs.3.mergedProcessors.#":                              "2",
		"outputs.2.usage.credits":                                   "4",
		"files.0.usage.credits":                                     "3",
		"usage.credits":                                             "12.5",
		"workflow.version":                                          "3",
		"name":                                                      "acme-invoice-0042.pdf",
	}
	for p, w := range checks {
		got := run.Get(p)
		if g := got.String(); g != w && got.Raw != w {
			t.Errorf("%s = %s, want %s", p, got.Raw, w)
		}
	}
	if !strings.HasPrefix(run.Get("outputs.0.id").String(), "dpr_") || run.Get("outputs.0.initialOutput.id").String() != "invoice" {
		t.Errorf("output id / initialOutput: %s", run.Get("outputs.0").Raw)
	}
	// The registry's lossy paths (the one list the differential test uses)
	// name fields a finished legacy run really has, except those only a
	// create with provided outputs or an open enum value shows.
	for _, lp := range translate.LossyPaths("get") {
		p, ok := strings.CutPrefix(lp, "workflowRun.")
		if !ok || strings.Contains(p, "splits") || strings.Contains(p, "confidence") || p == "batchId" || p == "files.#.type" ||
			strings.HasPrefix(p, "files.#.presignedUrl") || strings.HasPrefix(p, "files.#.contents") {
			continue
		}
		if !run.Get(p).Exists() {
			t.Errorf("lossy path %s does not exist in a finished legacy run", lp)
		}
	}
}

func TestLegacyFailedAndReviewed(t *testing.T) {
	e := newEnv(t, Options{})
	failed, reviewed := e.legacyCreate("workflow_a_fail"), e.legacyCreate("workflow_a_reviewed")
	e.finish()
	run := e.legacy("GET", "/workflow_runs/"+failed, "").json.Get("workflowRun")
	checkLegacyRun(t, run)
	if run.Get("status").String() != "FAILED" || run.Get("failureReason").String() != "FAILED_TO_PROCESS_FILE" ||
		run.Get("outputs.2.status").String() != "FAILED" || run.Get("outputs.2.output").Type != gjson.Null ||
		run.Get("outputs.2.initialOutput").Exists() || run.Get("stepRuns.#").Int() != 0 {
		t.Errorf("failed legacy run: %s", run.Raw)
	}
	run = e.legacy("GET", "/workflow_runs/"+reviewed, "").json.Get("workflowRun")
	checkLegacyRun(t, run)
	ex := run.Get("outputs.2")
	if !run.Get("reviewed").Bool() || run.Get("reviewedBy").String() == "" || !ex.Get("reviewed").Bool() ||
		ex.Get("reviewedOutput.value.vendor_name").String() != "Acme Corporation" ||
		ex.Get("initialOutput.value.vendor_name").String() != "Acme Corp" || ex.Get("edits.vendor_name.originalValue").String() != "Acme Corp" {
		t.Errorf("reviewed legacy run: %s", ex.Raw)
	}
}

func TestLegacyListPaging(t *testing.T) {
	e := newEnv(t, Options{})
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, e.legacyCreate("workflow_l"))
		e.clock.Advance(time.Second)
	}
	var got []string
	tok := ""
	for {
		q := "/workflow_runs?sortDir=asc&maxPageSize=2"
		if tok != "" {
			q += "&nextPageToken=" + url.QueryEscape(tok)
		}
		r := e.legacy("GET", q, "").mustStatus(t, 200).json
		if !r.Get("success").Bool() || r.Get("object").Exists() {
			t.Fatalf("legacy list envelope %s", r.Raw)
		}
		for _, s := range r.Get("workflowRuns").Array() {
			requireKeys(t, "legacy summary", s, legacySummaryKeys...)
			assertNoNulls(t, s, "summary")
			if s.Get("files").Exists() || s.Get("object").Exists() || s.Get("dashboardUrl").Exists() {
				t.Errorf("legacy summary has new keys: %s", s.Raw)
			}
			got = append(got, s.Get("id").String())
		}
		if tok = r.Get("nextPageToken").String(); tok == "" {
			break
		}
	}
	if !slices.Equal(got, ids) {
		t.Errorf("legacy list order %v, want %v", got, ids)
	}
}

func TestLegacyUpdateDeleteCancel(t *testing.T) {
	e := newEnv(t, Options{})
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, e.legacyCreate("workflow_l"))
	}
	up := e.legacy("POST", "/workflow_runs/"+ids[0], `{"name":"Acme (June)","metadata":{"k":"v"}}`).mustStatus(t, 200).json
	if up.Get("workflowRun.name").String() != "Acme (June)" || up.Get("workflowRun.metadata.k").String() != "v" {
		t.Errorf("legacy update: %s", up.Raw)
	}
	if e.legacy("GET", "/workflow_runs/"+ids[0], "").json.Get("workflowRun.name").String() != "Acme (June)" {
		t.Errorf("legacy name must be stored")
	}
	if e.do("GET", "/workflow_runs/"+ids[0], "").json.Get("name").Exists() {
		t.Errorf("the new surface must not show the name")
	}
	assertLegacyError(t, e.legacy("POST", "/workflow_runs/"+ids[0], `{"name":1}`), 400)

	del := e.legacy("DELETE", "/workflow_runs/"+ids[1], "").mustStatus(t, 200)
	if string(del.body) != `{"success":true,"workflowRunId":"`+ids[1]+`","message":"Workflow run data has been successfully deleted."}` {
		t.Errorf("legacy delete %s", del.body)
	}
	assertLegacyError(t, e.legacy("GET", "/workflow_runs/"+ids[1], ""), 404)
	assertLegacyError(t, e.legacy("DELETE", "/workflow_runs/"+ids[1], ""), 404)

	slow := e.legacyCreate("workflow_s_slow")
	e.clock.Advance(2 * time.Second)
	c := e.legacy("POST", "/workflow_runs/"+slow+"/cancel", "").mustStatus(t, 200).json
	if !c.Get("success").Bool() || c.Get("workflowRun.status").String() != "CANCELLED" {
		t.Errorf("legacy cancel %s", c.Raw)
	}
	checkLegacyRun(t, c.Get("workflowRun"))
	assertLegacyError(t, e.legacy("POST", "/workflow_runs/"+slow+"/cancel", ""), 400)
	e.finish()
	assertLegacyError(t, e.legacy("POST", "/workflow_runs/"+ids[2]+"/cancel", ""), 400) // finished
}

func TestLegacyBatch(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.legacy("POST", "/workflow_runs/batch", `{"workflowId":"workflow_b","version":"latest","inputs":[
		{"file":{"fileUrl":"https://x.org/0001.pdf","fileName":"0001.pdf"},"metadata":{"row":1}},
		{"file":{"fileId":"file_Yt6"},"rawText":"ignored","secrets":{"k":"v"}},
		{"rawText":"Invoice #77","metadata":{"row":3}}]}`).mustStatus(t, 200).json
	if !r.Get("success").Bool() || !strings.HasPrefix(r.Get("batchId").String(), "batch_") {
		t.Fatalf("legacy batch %s", r.Raw)
	}
	list := e.legacy("GET", "/workflow_runs?sortDir=asc&batchId="+r.Get("batchId").String(), "").json
	if list.Get("workflowRuns.#").Int() != 3 || list.Get("workflowRuns.0.batchId").String() != r.Get("batchId").String() {
		t.Errorf("batch runs %s", list.Raw)
	}
	second := e.legacy("GET", "/workflow_runs/"+list.Get("workflowRuns.1.id").String(), "").json.Get("workflowRun")
	if second.Get("files.0.name").String() != "file_Yt6.pdf" || second.Get("workflow.version").String() != "3" {
		t.Errorf("file wins over rawText, latest means default: %s", second.Raw)
	}
	for _, body := range []string{
		`{"workflowId":"workflow_b","inputs":[]}`, `{"workflowId":"workflow_b"}`, `{"inputs":[{"rawText":"x"}]}`,
		`{"workflowId":"workflow_b","inputs":[{"metadata":{}}]}`, `{"workflowId":"workflow_b","inputs":[{"file":{}}]}`,
	} {
		assertLegacyError(t, e.legacy("POST", "/workflow_runs/batch", body), 400)
	}
	assertLegacyError(t, e.legacy("POST", "/workflow_runs/batch", `{"workflowId":"nope","inputs":[{"rawText":"x"}]}`), 404)
}

func TestLegacyProvidedOutputs(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_p","files":[{"fileUrl":"https://x.org/p.pdf","outputs":[
		{"processorId":"`+LegacyClassifierID+`","output":{"id":"receipt","type":"receipt","confidence":0.8}},
		{"processorId":"`+SplitterID+`","output":{"splits":[{"id":"s9","classificationId":"receipt","type":"receipt","observation":"all","identifier":"R-1","startPage":1,"endPage":3}]}},
		{"processorId":"`+LegacyExtractorID+`","output":{"total":{"id":"total","value":42,"confidence":0.5},"vendor":{"id":"vendor"}}}]}]}`).mustStatus(t, 200)
	id := r.json.Get("workflowRuns.0.id").String()
	e.finish()
	run := e.legacy("GET", "/workflow_runs/"+id, "").json.Get("workflowRun")
	checks := map[string]string{
		"outputs.0.output.confidence":          "0.8",
		"outputs.0.output.type":                "receipt",
		"outputs.1.output.splits.0.id":         "s9",
		"outputs.1.output.splits.0.identifier": "R-1",
		"outputs.2.output.value":               `{"total":42,"vendor":null}`,
		"outputs.2.files.0.name":               "p (1-3).pdf",
	}
	for p, w := range checks {
		if g := run.Get(p); g.String() != w && g.Raw != w {
			t.Errorf("%s = %s, want %s", p, g.Raw, w)
		}
	}
}

func TestLegacyCorrectOutputs(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.legacyCreate("workflow_c")
	e.finish()
	run := e.legacy("GET", "/workflow_runs/"+id, "").json.Get("workflowRun")
	extract, classify := run.Get("outputs.2.id").String(), run.Get("outputs.0.id").String()
	r := e.legacy("POST", "/workflow_runs/"+id+"/outputs/"+extract, `{"reviewedOutput":{"value":{"vendor_name":"ACME Corporation"}}}`).mustStatus(t, 200).json
	ex := r.Get("workflowRun.outputs.2")
	if !r.Get("success").Bool() || !ex.Get("reviewed").Bool() || !ex.Get("edited").Bool() ||
		ex.Get("output.value.vendor_name").String() != "ACME Corporation" || ex.Get("output.value.invoice_number").String() != "INV-0042" ||
		ex.Get("reviewedOutput.value.vendor_name").String() != "ACME Corporation" || ex.Get("initialOutput.value.vendor_name").String() != "Acme Corp" ||
		ex.Get("edits.vendor_name.editedValue").String() != "ACME Corporation" {
		t.Errorf("corrected extract output: %s", ex.Raw)
	}
	// The new surface shows the same correction, and the new run id works as outputId too.
	newRun := e.do("GET", "/workflow_runs/"+id, "").json
	nx := newRun.Get(`stepRuns.#(stepType=="EXTRACT").result.extractRun`)
	if !nx.Get("reviewed").Bool() || nx.Get("reviewedOutput.value.vendor_name").String() != "ACME Corporation" {
		t.Errorf("new surface after correction: %s", nx.Raw)
	}
	newClassifyID := newRun.Get(`stepRuns.#(stepType=="CLASSIFY").result.classifyRun.id`).String()
	r = e.legacy("POST", "/workflow_runs/"+id+"/outputs/"+newClassifyID, `{"reviewedOutput":{"id":"other","type":"other"}}`).mustStatus(t, 200).json
	if r.Get("workflowRun.outputs.0.output.type").String() != "other" || r.Get("workflowRun.outputs.0.initialOutput.type").String() != "invoice" {
		t.Errorf("corrected classify output: %s", r.Get("workflowRun.outputs.0").Raw)
	}
	for _, c := range []struct {
		path, body string
		status     int
	}{
		{"/workflow_runs/" + id + "/outputs/dpr_nope", `{"reviewedOutput":{"value":{}}}`, 404},
		{"/workflow_runs/workflow_run_nope/outputs/" + extract, `{"reviewedOutput":{"value":{}}}`, 404},
		{"/workflow_runs/" + id + "/outputs/" + extract, `{}`, 400},
		{"/workflow_runs/" + id + "/outputs/" + extract, `{"reviewedOutput":{"id":"a","type":"b"}}`, 400},
		{"/workflow_runs/" + id + "/outputs/" + classify, `{"reviewedOutput":{"value":{"a":1}}}`, 400},
	} {
		assertLegacyError(t, e.legacy("POST", c.path, c.body), c.status)
	}
	fresh := e.legacyCreate("workflow_c")
	e.sim.mu.Lock()
	freshExtract := legacyAlias(e.sim.runs[fresh].extractRunID, "dpr_")
	e.sim.mu.Unlock()
	assertLegacyError(t, e.legacy("POST", "/workflow_runs/"+fresh+"/outputs/"+freshExtract, `{"reviewedOutput":{"value":{}}}`), 400)
}

func TestLegacyAuthAndRecording(t *testing.T) {
	e := newEnv(t, Options{})
	req, _ := http.NewRequest("GET", e.srv.URL+"/workflow_runs", nil)
	req.Header.Set("x-extend-api-version", legacyVersion)
	assertLegacyError(t, e.send(req), 401)
	e.legacyCreate("workflow_r")
	reqs := e.sim.Requests()
	if len(reqs) != 2 || reqs[1].Header.Get("x-extend-api-version") != legacyVersion || reqs[1].Header.Get("Authorization") != "REDACTED" {
		t.Errorf("legacy requests not recorded: %+v", reqs)
	}
}

func TestVersionsShareRunsAndTokens(t *testing.T) {
	e := newEnv(t, Options{})
	for i := 0; i < 3; i++ {
		e.do("POST", "/workflow_runs", `{"workflow":{"id":"workflow_v"},"file":{"id":"file_`+string(rune('a'+i))+`"}}`).mustStatus(t, 200)
	}
	page := e.do("GET", "/workflow_runs?workflowId=workflow_v&maxPageSize=2", "").json
	tok := page.Get("nextPageToken").String()
	rest := e.legacy("GET", "/workflow_runs?workflowId=workflow_v&maxPageSize=2&nextPageToken="+url.QueryEscape(tok), "").mustStatus(t, 200).json
	if rest.Get("workflowRuns.#").Int() != 1 || rest.Get("nextPageToken").Exists() {
		t.Errorf("new token on the legacy list: %s", rest.Raw)
	}
	id := rest.Get("workflowRuns.0.id").String()
	run := e.legacy("GET", "/workflow_runs/"+id, "").mustStatus(t, 200).json.Get("workflowRun")
	if run.Get("name").String() != "file_a.pdf" || run.Get("files.0.id").String() != "file_a" {
		t.Errorf("new-created run seen through legacy: %s", run.Raw)
	}
}
