package sim

import (
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

func (e *env) legacy(method, path, body string) resp {
	e.t.Helper()
	return e.doVersion(legacyVersion, method, path, body)
}

// assertLegacyError checks the legacy error envelope {success:false, error}.
func assertLegacyError(t *testing.T, r resp, status int) {
	t.Helper()
	r.mustStatus(t, status)
	if r.json.Get("success").Type != gjson.False || r.json.Get("error").String() == "" || len(r.json.Map()) != 2 {
		t.Errorf("legacy error body %s", r.body)
	}
}

// assertNoNulls walks a legacy body: the only null allowed is a processor
// run's output that does not exist yet (mapping.md §4.5.3).
func assertNoNulls(t *testing.T, v gjson.Result, path string) {
	t.Helper()
	switch {
	case v.Type == gjson.Null && !strings.HasSuffix(path, ".output"):
		t.Errorf("null at %s", path)
	case v.IsObject() || v.IsArray():
		v.ForEach(func(k, c gjson.Result) bool {
			assertNoNulls(t, c, path+"."+k.String())
			return true
		})
	}
}

var (
	legacyRunKeys = []string{"object", "id", "name", "url", "status", "metadata", "files", "initialRunAt", "reviewed",
		"outputs", "stepRuns", "workflow"}
	legacyProcKeys = []string{"object", "id", "processorId", "processorVersionId", "processorName", "status", "output",
		"reviewed", "edited", "edits", "type", "config", "files", "mergedProcessors", "url"}
	legacySummaryKeys = []string{"id", "status", "workflowId", "workflowName", "workflowVersionId", "createdAt", "updatedAt"}
)

func checkLegacyRun(t *testing.T, run gjson.Result) {
	t.Helper()
	requireKeys(t, "legacy run", run, legacyRunKeys...)
	requireKeys(t, "legacy workflow", run.Get("workflow"), "object", "id", "version", "name")
	for _, f := range run.Get("files").Array() {
		requireKeys(t, "legacy file", f, "object", "id", "name", "metadata", "createdAt", "updatedAt")
	}
	for _, o := range run.Get("outputs").Array() {
		requireKeys(t, "legacy output", o, legacyProcKeys...)
		if c := o.Get("config.type").String(); c != o.Get("type").String() {
			t.Errorf("config.type %s != type %s", c, o.Get("type"))
		}
	}
	for _, s := range run.Get("stepRuns").Array() {
		requireKeys(t, "legacy step run", s, "object", "id", "status", "step")
		if s.Get("workflowRunId").Exists() || s.Get("result").Exists() || s.Get("files").Exists() {
			t.Errorf("legacy step run has new keys: %s", s.Raw)
		}
	}
	for _, k := range []string{"dashboardUrl", "workflowVersion", "batchId"} {
		if run.Get(k).Type == gjson.Null && run.Get(k).Exists() {
			t.Errorf("%s must be absent, not null", k)
		}
	}
	assertNoNulls(t, run, "run")
}

func TestLegacyCreateFanOut(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_invoice_1","version":"draft","priority":20,
		"files":[{"fileUrl":"https://x.org/in/acme-0042.pdf?sig=1","fileName":"acme.pdf"},{"fileId":"file_Yt6","fileName":"scan-0193.pdf"},{"fileUrl":"https://x.org/b.docx"}],
		"rawTexts":["Invoice #77"],"metadata":{"tenant":"northwind"}}`).mustStatus(t, 200)
	if !r.json.Get("success").Bool() || r.json.Get("workflowRuns.#").Int() != 4 {
		t.Fatalf("create: %s", r.body)
	}
	want := []struct{ name, file, typ string }{
		{"acme.pdf", "acme.pdf", "PDF"}, {"scan-0193.pdf", "file_Yt6.pdf", "PDF"}, {"b.docx", "b.docx", "DOCX"}, {"text-1.txt", "text-1.txt", "TXT"},
	}
	for i, run := range r.json.Get("workflowRuns").Array() {
		checkLegacyRun(t, run)
		id := run.Get("id").String()
		if run.Get("name").String() != want[i].name || run.Get("files.0.name").String() != want[i].file ||
			run.Get("files.0.type").String() != want[i].typ {
			t.Errorf("run %d: name %s file %s %s", i, run.Get("name"), run.Get("files.0.name"), run.Get("files.0.type"))
		}
		if run.Get("status").String() != "PENDING" || run.Get("outputs.#").Int() != 0 || run.Get("stepRuns.#").Int() != 0 ||
			run.Get("url").String() != "https://dashboard.extend.ai/workflows/workflow_invoice_1?workflowRunId="+id ||
			run.Get("workflow.version").String() != "draft" || run.Get("workflow.name").String() != "AP Invoice Intake" ||
			run.Get("metadata.tenant").String() != "northwind" || run.Get("initialRunAt").String() == "" {
			t.Errorf("run %d: %s", i, run.Raw)
		}
	}
	if e.sim.RunCount() != 4 {
		t.Errorf("RunCount %d", e.sim.RunCount())
	}
}

func TestLegacyValidationAndErrors(t *testing.T) {
	e := newEnv(t, Options{})
	url := `{"fileUrl":"https://x.org/a.pdf"}`
	many := strings.TrimSuffix(strings.Repeat(url+",", 51), ",")
	for name, body := range map[string]string{
		"malformed":        `{"workflowId":`,
		"no workflowId":    `{"files":[` + url + `]}`,
		"no inputs":        `{"workflowId":"workflow_a"}`,
		"empty inputs":     `{"workflowId":"workflow_a","files":[],"rawTexts":[]}`,
		"51 files":         `{"workflowId":"workflow_a","files":[` + many + `]}`,
		"file without src": `{"workflowId":"workflow_a","files":[{"fileName":"a.pdf"}]}`,
		"files not array":  `{"workflowId":"workflow_a","files":{}}`,
		"raw not string":   `{"workflowId":"workflow_a","rawTexts":[1]}`,
		"bad output":       `{"workflowId":"workflow_a","files":[{"fileId":"f","outputs":[{"processorId":"dp_x","output":{"a":1}}]}]}`,
		"kind mismatch":    `{"workflowId":"workflow_a","files":[{"fileId":"f","outputs":[{"processorId":"` + LegacyClassifierID + `","output":{"value":{}}}]}]}`,
		"bad split":        `{"workflowId":"workflow_a","files":[{"fileId":"f","outputs":[{"processorId":"dp_s","output":{"splits":[{"type":"a"}]}}]}]}`,
		"metadata":         `{"workflowId":"workflow_a","rawTexts":["x"],"metadata":[1]}`,
		"bad second file":  `{"workflowId":"workflow_a","files":[` + url + `,{}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			assertLegacyError(t, e.legacy("POST", "/workflow_runs", body), 400)
		})
	}
	if e.sim.RunCount() != 0 {
		t.Errorf("invalid legacy creates stored %d runs", e.sim.RunCount())
	}
	assertLegacyError(t, e.legacy("POST", "/workflow_runs", `{"workflowId":"wf_x","rawTexts":["x"]}`), 404)
	r := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_x_badcreate","rawTexts":["x"]}`)
	assertLegacyError(t, r, 400)
	if r.json.Get("error").String() != "Workflow has no published version" {
		t.Errorf("badcreate error %s", r.json.Get("error"))
	}
	assertLegacyError(t, e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_x_err5xx_1","rawTexts":["x","y"]}`), 500)
	r = e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_x_err429_1","rawTexts":["x"]}`)
	assertLegacyError(t, r, 429)
	if r.header.Get("Retry-After") != "1" {
		t.Errorf("legacy 429 without Retry-After")
	}
	if e.sim.RunCount() != 0 {
		t.Errorf("failed legacy creates stored %d runs", e.sim.RunCount())
	}
	req := e.legacy("GET", "/workflow_runs", "") // sanity: authorized
	req.mustStatus(t, 200)
	noAuth := e.legacy("GET", "/workflow_runs/workflow_run_missing", "")
	assertLegacyError(t, noAuth, 404)
	assertLegacyError(t, e.legacy("GET", "/workflow_runs?maxPageSize=0", ""), 400)
	assertLegacyError(t, e.legacy("PUT", "/workflow_runs", ""), 405)
}
