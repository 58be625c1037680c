package proxy

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

const createTwoFilesAndText = `{
  "workflowId": "workflow_invoice_e2e",
  "version": "3",
  "priority": 20,
  "metadata": {"tenant": "northwind"},
  "files": [
    {"fileUrl": "https://files.example.org/inbox/acme-0042.pdf?sig=1", "fileName": "acme-0042.pdf"},
    {"fileUrl": "https://files.example.org/inbox/scan-0193.pdf"}
  ],
  "rawTexts": ["Invoice #77\nVendor: Globex"]
}`

func TestCreateFansOutInInputOrder(t *testing.T) {
	e := newEnv(t, nil)
	r := e.legacy("POST", "/workflow_runs", createTwoFilesAndText)
	wantStatus(t, r, 200)
	if !r.get("success").Bool() || r.get("workflowRuns.#").Int() != 3 {
		t.Fatalf("want 3 runs: %s", r.body)
	}
	for i, name := range []string{"acme-0042.pdf", "scan-0193.pdf"} {
		if got := r.get(fmt.Sprintf("workflowRuns.%d.name", i)).String(); got != name {
			t.Errorf("run %d name %q, want %q", i, got, name)
		}
	}
	if got := r.get("workflowRuns.2.files.0.type").String(); got != "TXT" {
		t.Errorf("rawText run file type %q, want TXT", got)
	}
	for i := 0; i < 3; i++ {
		run := r.get(fmt.Sprintf("workflowRuns.%d", i))
		if run.Get("workflow.version").String() != "3" || run.Get("metadata.tenant").String() != "northwind" {
			t.Errorf("run %d lost version or metadata: %s", i, run.Raw)
		}
		if run.Get("initialRunAt").String() == "" || !strings.HasPrefix(run.Get("url").String(), "https://") {
			t.Errorf("run %d lacks initialRunAt or url: %s", i, run.Raw)
		}
	}
	creates := 0
	for _, rec := range e.sim.Requests() {
		if rec.Method == "POST" && rec.Path == "/workflow_runs" {
			creates++
			if gjson.GetBytes(rec.Body, "priority").Int() != 20 || gjson.GetBytes(rec.Body, "workflow.version").String() != "3" {
				t.Errorf("upstream create lost priority/version: %s", rec.Body)
			}
		}
	}
	if creates != 3 {
		t.Fatalf("%d upstream creates, want 3", creates)
	}
}

// Order must follow the input even when later creates answer first.
func TestCreateOrderWithOutOfOrderReplies(t *testing.T) {
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		b := readAll(r)
		name := gjson.GetBytes(b, "file.name").String()
		var n int
		fmt.Sscanf(name, "f%d.pdf", &n)
		time.Sleep(time.Duration(10-n) * 5 * time.Millisecond) // first inputs answer last
		jsonReply(w, 200, newRunJSON("workflow_run_"+name, name))
	}))
	files := make([]string, 10)
	for i := range files {
		files[i] = fmt.Sprintf(`{"fileUrl":"https://x.example/f%d.pdf","fileName":"f%d.pdf"}`, i, i)
	}
	r := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_x","files":[`+strings.Join(files, ",")+`]}`)
	wantStatus(t, r, 200)
	for i := 0; i < 10; i++ {
		if got, want := r.get(fmt.Sprintf("workflowRuns.%d.id", i)).String(), fmt.Sprintf("workflow_run_f%d.pdf", i); got != want {
			t.Fatalf("position %d holds %s, want %s", i, got, want)
		}
	}
}

// newRunJSON is a minimal but complete 2026-02-09 WorkflowRun.
func newRunJSON(id, fileName string) string {
	return `{"object":"workflow_run","id":"` + id + `",
	"workflow":{"object":"workflow","id":"workflow_x","name":"W","createdAt":"2026-01-01T00:00:00.000Z","updatedAt":"2026-01-01T00:00:00.000Z","createdBy":null},
	"workflowVersion":{"object":"workflow_version","id":"workflow_version_1","version":"3","name":null,"createdAt":"2026-01-01T00:00:00.000Z","createdBy":null},
	"dashboardUrl":"https://dashboard.extend.ai/workflows/` + id + `","status":"PROCESSING","metadata":{},"batchId":null,
	"files":[{"object":"file","id":"file_1","name":"` + fileName + `","type":"PDF","parentFileId":null,"metadata":{},"createdAt":"2026-02-20T14:11:07.412Z","updatedAt":"2026-02-20T14:11:07.412Z"}],
	"failureReason":null,"failureMessage":null,"initialRunAt":null,"reviewedByUser":null,"reviewed":false,"rejectionNote":null,
	"reviewedAt":null,"startTime":null,"endTime":null,"stepRuns":[],"usage":null}`
}

// waitFor polls a legacy get until the run leaves PENDING/PROCESSING.
func (e *env) waitFor(id string) result {
	e.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := e.legacy("GET", "/workflow_runs/"+id, "")
		wantStatus(e.t, r, 200)
		s := r.get("workflowRun.status").String()
		if s != "PENDING" && s != "PROCESSING" {
			return r
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("run %s still %s", id, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestGetRebuildsOutputsFromStepRuns(t *testing.T) {
	e := newEnv(t, nil)
	c := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_invoice","files":[{"fileUrl":"https://x.example/a.pdf"}]}`)
	wantStatus(t, c, 200)
	id := c.get("workflowRuns.0.id").String()
	r := e.waitFor(id)
	run := r.get("workflowRun")
	if run.Get("status").String() != "PROCESSED" {
		t.Fatalf("status %s", run.Get("status"))
	}
	types := map[string]int{}
	for _, o := range run.Get("outputs").Array() {
		types[o.Get("type").String()]++
		if o.Get("object").String() != "document_processor_run" || o.Get("url").String() == "" {
			t.Errorf("bad output %s", o.Raw)
		}
	}
	if types["CLASSIFY"] != 1 || types["SPLITTER"] != 1 || types["EXTRACT"] != 3 || len(types) != 3 {
		t.Errorf("output types %v, want 1 CLASSIFY, 1 SPLITTER, 3 EXTRACT", types)
	}
	for _, s := range run.Get("stepRuns").Array() {
		if st := s.Get("step.type").String(); st != "RULE_VALIDATION" && st != "EXTERNAL_DATA_VALIDATION" {
			t.Errorf("legacy stepRuns holds %s", st)
		}
	}
	if p := nullPath(gjson.ParseBytes(r.body), ""); p != "" {
		t.Errorf("legacy body carries null at %s", p)
	}
}

func TestListFiltersAndPages(t *testing.T) {
	e := newEnv(t, nil)
	for i := 0; i < 3; i++ {
		wantStatus(t, e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_list_a","rawTexts":["t"]}`), 200)
	}
	wantStatus(t, e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_list_b","rawTexts":["t"]}`), 200)
	p1 := e.legacy("GET", "/workflow_runs?workflowId=workflow_list_a&sortBy=createdAt&sortDir=asc&maxPageSize=2", "")
	wantStatus(t, p1, 200)
	if p1.get("workflowRuns.#").Int() != 2 || p1.get("nextPageToken").String() == "" {
		t.Fatalf("page 1: %s", p1.body)
	}
	tok := p1.get("nextPageToken").String()
	p2 := e.legacy("GET", "/workflow_runs?workflowId=workflow_list_a&sortBy=createdAt&sortDir=asc&maxPageSize=2&nextPageToken="+urlQuery(tok), "")
	wantStatus(t, p2, 200)
	if p2.get("workflowRuns.#").Int() != 1 || p2.get("nextPageToken").Exists() {
		t.Fatalf("page 2: %s", p2.body)
	}
	for _, s := range append(p1.get("workflowRuns").Array(), p2.get("workflowRuns").Array()...) {
		if s.Get("workflowId").String() != "workflow_list_a" || s.Get("workflowName").String() == "" || s.Get("object").Exists() {
			t.Errorf("bad summary %s", s.Raw)
		}
	}
}

func TestUpdateEchoesNameAndMergesMetadata(t *testing.T) {
	e := newEnv(t, nil)
	c := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_u","rawTexts":["x"],"metadata":{"a":1}}`)
	id := c.get("workflowRuns.0.id").String()
	r := e.legacy("POST", "/workflow_runs/"+id, `{"name":"June batch","metadata":{"b":2}}`)
	wantStatus(t, r, 200)
	if r.get("workflowRun.name").String() != "June batch" || r.get("workflowRun.metadata.a").Int() != 1 || r.get("workflowRun.metadata.b").Int() != 2 {
		t.Fatalf("update answer %s", r.body)
	}
	bad := e.legacy("POST", "/workflow_runs/"+id, `{"metadata":"nope"}`)
	wantStatus(t, bad, 400)
}

func TestDeleteThenNotFound(t *testing.T) {
	e := newEnv(t, nil)
	id := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_d","rawTexts":["x"]}`).get("workflowRuns.0.id").String()
	d := e.legacy("DELETE", "/workflow_runs/"+id, "")
	wantStatus(t, d, 200)
	if d.get("workflowRunId").String() != id || d.get("message").String() == "" || !d.get("success").Bool() {
		t.Fatalf("delete answer %s", d.body)
	}
	wantStatus(t, e.legacy("GET", "/workflow_runs/"+id, ""), 404)
	wantStatus(t, e.legacy("GET", "/workflow_runs/workflow_run_unknown", ""), 404)
}

func TestCancelSlowRun(t *testing.T) {
	e := newEnv(t, nil)
	id := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_slow","rawTexts":["x"]}`).get("workflowRuns.0.id").String()
	r := e.legacy("POST", "/workflow_runs/"+id+"/cancel", "")
	wantStatus(t, r, 200)
	if s := r.get("workflowRun.status").String(); s != "CANCELLED" && s != "CANCELLING" {
		t.Fatalf("status after cancel %s", s)
	}
	again := e.legacy("POST", "/workflow_runs/"+id+"/cancel", "")
	wantStatus(t, again, 400)
}

func TestBatch(t *testing.T) {
	e := newEnv(t, nil)
	r := e.legacy("POST", "/workflow_runs/batch", `{"workflowId":"workflow_b","version":"draft","inputs":[
		{"file":{"fileUrl":"https://x.example/1.pdf","fileName":"1.pdf"},"metadata":{"row":1}},
		{"rawText":"hello","metadata":{"row":2},"secrets":{"k":"v"}}]}`)
	wantStatus(t, r, 200)
	batchID := r.get("batchId").String()
	if batchID == "" || !r.get("success").Bool() {
		t.Fatalf("batch answer %s", r.body)
	}
	l := e.legacy("GET", "/workflow_runs?batchId="+batchID, "")
	wantStatus(t, l, 200)
	if l.get("workflowRuns.#").Int() != 2 {
		t.Fatalf("batch runs listed: %s", l.body)
	}
	wantStatus(t, e.legacy("POST", "/workflow_runs/batch", `{"workflowId":"workflow_b","inputs":[{"metadata":{}}]}`), 400)
}

func TestCorrectOutputsIsGone(t *testing.T) {
	e := newEnv(t, nil)
	id := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_o","rawTexts":["x"]}`).get("workflowRuns.0.id").String()
	run := e.waitFor(id)
	outID := run.get("workflowRun.outputs.0.id").String()
	body := `{"reviewedOutput":{"value":{"a":1}}}`
	gone := e.legacy("POST", "/workflow_runs/"+id+"/outputs/"+outID, body)
	wantStatus(t, gone, 410)
	if !strings.Contains(gone.get("error").String(), "removed") {
		t.Errorf("410 message does not say it was removed: %s", gone.body)
	}
	wantStatus(t, e.legacy("POST", "/workflow_runs/"+id+"/outputs/exr_nope", body), 404)
	wantStatus(t, e.legacy("POST", "/workflow_runs/workflow_run_nope/outputs/"+outID, body), 404)
	wantStatus(t, e.legacy("POST", "/workflow_runs/"+id+"/outputs/"+outID, `{}`), 400)
	noAuth := e.do("POST", "/workflow_runs/"+id+"/outputs/"+outID, body, http.Header{"X-Extend-Api-Version": {"2025-04-21"}, "Authorization": {""}})
	wantStatus(t, noAuth, 401)
}

func TestNewVersionPassesThroughUnchanged(t *testing.T) {
	e := newEnv(t, nil)
	h := http.Header{"X-Extend-Api-Version": {"2026-02-09"}}
	c := e.do("POST", "/workflow_runs", `{"workflow":{"id":"workflow_n"},"file":{"text":"hi"}}`, h)
	if c.status != 200 || c.get("object").String() != "workflow_run" || c.get("success").Exists() {
		t.Fatalf("new-version create not passed through: %d %s", c.status, c.body)
	}
	g := e.do("GET", "/workflow_runs/"+c.get("id").String(), "", h)
	if g.status != 200 || g.get("dashboardUrl").String() == "" || !g.get("initialRunAt").Exists() {
		t.Fatalf("new-version get: %s", g.body)
	}
}

func TestMissingHeaderFollowsDefault(t *testing.T) {
	e := newEnv(t, nil)
	r := e.do("POST", "/workflow_runs", `{"workflowId":"workflow_h","rawTexts":["x"]}`, nil)
	wantStatus(t, r, 200)
	if !r.get("success").Bool() {
		t.Fatalf("missing header was not treated as legacy: %s", r.body)
	}
	e2 := newEnv(t, nil, func(o *Options) { o.DefaultVersion = "2026-02-09" })
	n := e2.do("POST", "/workflow_runs", `{"workflow":{"id":"workflow_h"},"file":{"text":"x"}}`, nil)
	if n.status != 200 || n.get("object").String() != "workflow_run" {
		t.Fatalf("default 2026-02-09 did not pass through: %d %s", n.status, n.body)
	}
}

func urlQuery(s string) string {
	r := strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D", ":", "%3A")
	return r.Replace(s)
}

// nullPath returns the path of the first null value, ignoring ProcessorRun
// output (the one documented exception) and opaque JSON (schema, metadata, values).
func nullPath(v gjson.Result, path string) string {
	switch {
	case v.Type == gjson.Null:
		return path
	case v.IsArray():
		for i, x := range v.Array() {
			if p := nullPath(x, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case v.IsObject():
		found := ""
		v.ForEach(func(k, x gjson.Result) bool {
			switch k.String() {
			case "output", "schema", "metadata", "value":
				return true
			}
			found = nullPath(x, path+"."+k.String())
			return found == ""
		})
		return found
	}
	return ""
}

// Request secrets (batch inputs, or a stray create field) never reach the logs,
// and the unknown create field is reported by path, not value.
func TestSecretsNeverLogged(t *testing.T) {
	e := newEnv(t, nil)
	wantStatus(t, e.legacy("POST", "/workflow_runs/batch", `{"workflowId":"workflow_s","inputs":[{"rawText":"x","secrets":{"erpApiKey":"sk_live_SECRET_1"}}]}`), 200)
	wantStatus(t, e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_s","rawTexts":["x"],"secrets":{"k":"sk_live_SECRET_2"},"webhookSecret":"wss_SECRET_3"}`), 200)
	sawPath := false
	for _, l := range e.logs.All() {
		line := fmt.Sprint(l.Message, l.ContextMap())
		for _, s := range []string{"SECRET_1", "SECRET_2", "SECRET_3", "sk_test_secret_token_123"} {
			if strings.Contains(line, s) {
				t.Fatalf("secret %s logged: %s", s, line)
			}
		}
		sawPath = sawPath || strings.Contains(line, "webhookSecret")
	}
	if !sawPath {
		t.Fatal("the unknown field was not reported by path")
	}
	var secrets int
	for _, rec := range e.sim.Requests() {
		// The simulator's log redacts values; the key shows the secrets were forwarded.
		if gjson.GetBytes(rec.Body, "inputs.0.secrets.erpApiKey").String() == "REDACTED" {
			secrets++
		}
		if gjson.GetBytes(rec.Body, "secrets").Exists() {
			t.Fatalf("legacy create has no secrets field; it must not be forwarded: %s", rec.Body)
		}
	}
	if secrets != 1 {
		t.Fatal("batch secrets were not forwarded upstream")
	}
}
