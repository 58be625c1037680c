package sim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestDeleteThen404(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.create("workflow_a", "https://x.org/a.pdf")
	if e.sim.RunCount() != 1 {
		t.Fatal("RunCount after create")
	}
	r := e.do("DELETE", "/workflow_runs/"+id, "").mustStatus(t, 200)
	if string(r.body) != `{"id":"`+id+`"}` {
		t.Errorf("delete body %s", r.body)
	}
	assertAPIError(t, e.do("GET", "/workflow_runs/"+id, ""), 404, codeNotFound)
	assertAPIError(t, e.do("DELETE", "/workflow_runs/"+id, ""), 404, codeNotFound)
	assertAPIError(t, e.do("POST", "/workflow_runs/"+id+"/cancel", ""), 404, codeNotFound)
	if e.sim.RunCount() != 0 {
		t.Errorf("RunCount after delete %d", e.sim.RunCount())
	}
	if n := e.do("GET", "/_sim/runs/count", "").json.Get("count").Int(); n != 0 {
		t.Errorf("/_sim/runs/count = %d", n)
	}
}

func TestCancelRules(t *testing.T) {
	e := newEnv(t, Options{PendingFor: time.Second, ProcessFor: 8 * time.Second})
	pending := e.create("workflow_a", "https://x.org/a.pdf")
	r := e.do("POST", "/workflow_runs/"+pending+"/cancel", "").mustStatus(t, 200).json
	checkRunShape(t, r)
	if r.Get("status").String() != "CANCELLED" || r.Get("stepRuns.#").Int() != 0 || r.Get("endTime").Type == 0 {
		t.Errorf("cancelled pending run: %s", r.Raw)
	}
	assertAPIError(t, e.do("POST", "/workflow_runs/"+pending+"/cancel", ""), 400, codeInvalid)

	processing := e.create("workflow_a", "https://x.org/b.pdf")
	e.clock.Advance(3*time.Second + 500*time.Millisecond) // 2.5 s into PROCESSING: steps 1-2 done, 3 running
	r = e.do("POST", "/workflow_runs/"+processing+"/cancel", "").mustStatus(t, 200).json
	if r.Get("status").String() != "CANCELLED" || r.Get("stepRuns.#").Int() != 3 ||
		r.Get("stepRuns.1.status").String() != "PROCESSED" || r.Get("stepRuns.2.status").String() != "CANCELLED" ||
		r.Get("stepRuns.2.result.splitRun.status").String() != "CANCELLED" {
		t.Errorf("cancelled processing run: %s", r.Get("stepRuns.#.status").Raw)
	}
	e.finish()
	if st := e.do("GET", "/workflow_runs/"+processing, "").json; st.Get("status").String() != "CANCELLED" || st.Get("stepRuns.#").Int() != 3 {
		t.Errorf("cancel must stick: %s", st.Get("status"))
	}
	done := e.create("workflow_a", "https://x.org/c.pdf")
	e.finish()
	r2 := e.do("POST", "/workflow_runs/"+done+"/cancel", "")
	assertAPIError(t, r2, 400, codeInvalid)
	if !strings.Contains(r2.json.Get("message").String(), "PROCESSED") {
		t.Errorf("cancel message %s", r2.json.Get("message"))
	}
	review := e.create("workflow_a_review", "https://x.org/d.pdf")
	e.finish()
	assertAPIError(t, e.do("POST", "/workflow_runs/"+review+"/cancel", ""), 400, codeInvalid)
}

func TestBatch(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.do("POST", "/workflow_runs/batch", `{"workflow":{"id":"workflow_b","version":"draft"},"inputs":[
		{"file":{"url":"https://files.example.org/bulk/0001.pdf","name":"0001.pdf"},"metadata":{"row":1}},
		{"file":{"id":"file_Yt6"},"metadata":{"row":2},"secrets":{"k":"v"}},
		{"file":{"text":"Invoice #77"},"metadata":{"row":3}}]}`).mustStatus(t, 200)
	batch := r.json.Get("batchId").String()
	if !strings.HasPrefix(batch, "batch_") || len(r.json.Map()) != 1 {
		t.Fatalf("batch answer %s", r.body)
	}
	list := e.do("GET", "/workflow_runs?batchId="+batch+"&sortDir=asc", "").mustStatus(t, 200).json
	if list.Get("data.#").Int() != 3 || list.Get("data.0.workflowVersion.version").String() != "draft" ||
		list.Get("data.2.files.0.type").String() != "TXT" || list.Get("data.0.batchId").String() != batch {
		t.Errorf("batch runs: %s", list.Raw)
	}
	run := e.do("GET", "/workflow_runs/"+list.Get("data.1.id").String(), "").json
	if run.Get("metadata.row").Int() != 2 || run.Get("batchId").String() != batch {
		t.Errorf("batch run: %s", run.Raw)
	}
	e.sim.mu.Lock()
	prio := e.sim.runs[run.Get("id").String()].priority
	e.sim.mu.Unlock()
	if prio != 90 {
		t.Errorf("default batch priority %v", prio)
	}
}

func TestProvidedOutputs(t *testing.T) {
	e := newEnv(t, Options{})
	body := fmt.Sprintf(`{"workflow":{"id":"workflow_p"},"file":{"url":"https://x.org/p.pdf"},"outputs":[
		{"processorId":%q,"output":{"id":"receipt","type":"receipt"}},
		{"processorId":%q,"output":{"splits":[{"classificationId":"receipt","type":"receipt","startPage":1,"endPage":3}]}},
		{"processorId":%q,"output":{"value":{"total":42}}},
		{"processorId":"ex_someone_else","output":{"value":{"ignored":true}}}]}`, ClassifierID, SplitterID, ExtractorID)
	id := e.do("POST", "/workflow_runs", body).mustStatus(t, 200).json.Get("id").String()
	e.finish()
	run := e.do("GET", "/workflow_runs/"+id, "").mustStatus(t, 200).json
	checkRunShape(t, run)
	checks := map[string]string{
		"stepRuns.1.result.classifyRun.output.type":     "receipt",
		"stepRuns.1.result.classifyRun.output.id":       "receipt",
		"stepRuns.2.result.splitRun.output.splits.#":    "1",
		"stepRuns.2.result.splitRun.output.splits.0.id": "split_1",
		"stepRuns.3.result.extractRun.output.value":     `{"total":42}`,
		"stepRuns.3.files.0.name":                       "p (1-3).pdf",
		"stepRuns.3.files.0.metadata.pageCount":         "3",
	}
	for p, w := range checks {
		if g := run.Get(p).String(); g != w {
			t.Errorf("%s = %s, want %s", p, g, w)
		}
	}
}

func TestFileNamingAndTypes(t *testing.T) {
	e := newEnv(t, Options{})
	cases := []struct{ file, name, typ string }{
		{`{"url":"https://x.org/in/acme%20invoice.pdf?sig=1"}`, "acme invoice.pdf", "PDF"},
		{`{"url":"https://x.org/a.pdf","name":"renamed.docx"}`, "renamed.docx", "DOCX"},
		{`{"url":"https://x.org/data.CSV"}`, "data.CSV", "CSV"},
		{`{"url":"https://x.org/p.jpg"}`, "p.jpg", "IMG"},
		{`{"url":"https://x.org/p.png"}`, "p.png", "IMG"},
		{`{"url":"https://x.org/s.xlsx"}`, "s.xlsx", "EXCEL"},
		{`{"url":"https://x.org/s.xml"}`, "s.xml", "XML"},
		{`{"url":"https://x.org/s.html"}`, "s.html", "HTML"},
		{`{"url":"https://x.org/blob"}`, "blob", ""},
		{`{"id":"file_abc"}`, "file_abc.pdf", "PDF"},
		{`{"text":"hi","name":"note.txt"}`, "note.txt", "TXT"},
	}
	for _, c := range cases {
		f := e.do("POST", "/workflow_runs", `{"workflow":{"id":"workflow_f"},"file":`+c.file+`}`).mustStatus(t, 200).json.Get("files.0")
		if f.Get("name").String() != c.name || f.Get("type").String() != c.typ {
			t.Errorf("%s: name %s type %s, want %s %s", c.file, f.Get("name"), f.Get("type").Raw, c.name, c.typ)
		}
	}
	f := e.do("POST", "/workflow_runs", `{"workflow":{"id":"workflow_f"},"file":{"text":"x"}}`).json.Get("files.0.name").String()
	if !strings.HasPrefix(f, "text-") || !strings.HasSuffix(f, ".txt") {
		t.Errorf("generated text name %s", f)
	}
	pkg := e.do("POST", "/workflow_runs", `{"workflow":{"id":"workflow_f"},"package":{"files":[{"id":"file_1"},{"url":"https://x.org/2.pdf"}]}}`).mustStatus(t, 200)
	if pkg.json.Get("files.#").Int() != 2 {
		t.Errorf("package files %s", pkg.json.Get("files").Raw)
	}
	e.finish()
	run := e.do("GET", "/workflow_runs/"+pkg.json.Get("id").String(), "").json
	checkRunShape(t, run)
	if run.Get("stepRuns.3.result.extractRun.file").Type != 0 || run.Get("stepRuns.3.result.extractRun.files.#").Int() != 2 {
		t.Errorf("package extract run file/files: %s", run.Get("stepRuns.3.result.extractRun").Raw)
	}
}

func TestRecordedRequests(t *testing.T) {
	e := newEnv(t, Options{})
	e.create("workflow_r", "https://x.org/a.pdf")
	req, _ := http.NewRequest("GET", e.srv.URL+"/workflow_runs?status=PROCESSED", nil)
	req.Header.Set("Authorization", "Bearer sk_live_secret")
	req.Header.Set("x-extend-api-version", newVersion)
	req.Header.Set("x-extend-workspace-id", "ws_1")
	e.send(req)
	e.doVersion("", "GET", "/workflow_runs", "")
	e.do("GET", "/_sim/runs/count", "")
	reqs := e.sim.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d recorded, want 3 (control endpoints excluded)", len(reqs))
	}
	if reqs[0].Method != "POST" || reqs[0].Path != "/workflow_runs" || reqs[0].Status != 200 ||
		!json.Valid(reqs[0].Body) || !strings.Contains(string(reqs[0].Body), "workflow_r") {
		t.Errorf("create record %+v", reqs[0])
	}
	if reqs[1].Query != "status=PROCESSED" || reqs[1].Body != nil || reqs[1].Header.Get("x-extend-workspace-id") != "ws_1" {
		t.Errorf("list record %+v", reqs[1])
	}
	for _, r := range reqs {
		if r.Header.Get("Authorization") != "REDACTED" {
			t.Errorf("Authorization not redacted: %q", r.Header.Get("Authorization"))
		}
	}
	if reqs[2].Status != 400 {
		t.Errorf("version error recorded as %d", reqs[2].Status)
	}
	ctl := e.do("GET", "/_sim/requests", "").mustStatus(t, 200).json
	if ctl.Get("#").Int() != 3 || strings.Contains(ctl.Raw, "secret") {
		t.Errorf("/_sim/requests: %s", ctl.Raw)
	}
	e.do("DELETE", "/_sim/requests", "").mustStatus(t, 204)
	if len(e.sim.Requests()) != 0 {
		t.Errorf("DELETE /_sim/requests did not reset")
	}
	e.sim.ResetRequests()
	e.do("POST", "/workflow_runs", "not json")
	if got := e.sim.Requests()[0]; string(got.Body) != `"not json"` || got.Status != 400 {
		t.Errorf("non-JSON body recorded as %s (%d)", got.Body, got.Status)
	}
}

func TestEvictionBound(t *testing.T) {
	e := newEnv(t, Options{MaxRuns: 3})
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, e.create("workflow_e", "https://x.org/a.pdf"))
	}
	if n := e.sim.RunCount(); n != 3 {
		t.Fatalf("RunCount %d, want 3", n)
	}
	for i, id := range ids {
		want := 200
		if i < 2 {
			want = 404
		}
		e.do("GET", "/workflow_runs/"+id, "").mustStatus(t, want)
	}
	e.do("DELETE", "/workflow_runs/"+ids[4], "").mustStatus(t, 200)
	e.do("POST", "/workflow_runs/batch", `{"workflow":{"id":"workflow_e"},"inputs":[{"file":{"id":"a"}},{"file":{"id":"b"}},{"file":{"id":"c"}},{"file":{"id":"d"}}]}`).mustStatus(t, 200)
	if n := e.sim.RunCount(); n != 3 {
		t.Errorf("RunCount after batch %d, want 3", n)
	}
}
