package sim

import (
	"strconv"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

var (
	runKeys = []string{"object", "id", "workflow", "workflowVersion", "dashboardUrl", "status", "metadata", "batchId",
		"files", "failureReason", "failureMessage", "initialRunAt", "reviewedByUser", "reviewed", "rejectionNote",
		"reviewedAt", "startTime", "endTime", "stepRuns", "usage"}
	summaryKeys = []string{"object", "id", "status", "workflow", "workflowVersion", "dashboardUrl", "reviewedByUser",
		"reviewedAt", "initialRunAt", "startTime", "endTime", "batchId", "rejectionNote", "files", "createdAt",
		"updatedAt", "usage"}
	workflowKeys = []string{"object", "id", "name", "createdAt", "updatedAt", "createdBy"}
	versionKeys  = []string{"object", "id", "version", "name", "createdAt", "createdBy"}
	fileKeys     = []string{"object", "id", "name", "type", "parentFileId", "metadata", "createdAt", "updatedAt"}
	stepRunKeys  = []string{"stepType", "object", "id", "workflowRunId", "status", "files", "step", "result"}
	procRunKeys  = []string{"object", "id", "status", "output", "initialOutput", "reviewedOutput", "failureReason",
		"failureMessage", "metadata", "reviewed", "edited", "config", "file", "parseRunId", "dashboardUrl", "usage",
		"createdAt", "updatedAt"}
	extractOnly = []string{"edits", "extractor", "extractorVersion", "files"}
	parseKeys   = []string{"object", "id", "file", "status", "failureReason", "failureMessage", "metadata", "output",
		"outputUrl", "metrics", "config", "usage"}
)

func checkFiles(t *testing.T, where string, files gjson.Result) {
	t.Helper()
	if !files.IsArray() || len(files.Array()) == 0 {
		t.Errorf("%s: files must be a non-empty array: %s", where, files.Raw)
	}
	for _, f := range files.Array() {
		requireKeys(t, where+".files[]", f, fileKeys...)
	}
}

// checkRunShape asserts every required key of N§4.1 and the nested objects.
func checkRunShape(t *testing.T, run gjson.Result) {
	t.Helper()
	requireKeys(t, "run", run, runKeys...)
	requireKeys(t, "run.workflow", run.Get("workflow"), workflowKeys...)
	requireKeys(t, "run.workflowVersion", run.Get("workflowVersion"), versionKeys...)
	checkFiles(t, "run", run.Get("files"))
	if !run.Get("metadata").IsObject() || !run.Get("stepRuns").IsArray() {
		t.Errorf("metadata must be an object and stepRuns an array")
	}
	for _, sr := range run.Get("stepRuns").Array() {
		checkStepRun(t, sr)
	}
}

func checkStepRun(t *testing.T, sr gjson.Result) {
	t.Helper()
	typ := sr.Get("stepType").String()
	requireKeys(t, typ, sr, stepRunKeys...)
	requireKeys(t, typ+".step", sr.Get("step"), "object", "id", "name")
	checkFiles(t, typ, sr.Get("files"))
	res := sr.Get("result")
	if res.Type == gjson.Null {
		return
	}
	switch typ {
	case "PARSE":
		requireKeys(t, typ, res.Get("parseRun"), parseKeys...)
	case "CLASSIFY":
		requireKeys(t, typ, res.Get("classifyRun"), append(procRunKeys, "classifier", "classifierVersion")...)
	case "SPLIT":
		requireKeys(t, typ, res.Get("splitRun"), append(procRunKeys, "splitter", "splitterVersion")...)
	case "EXTRACT", "CONDITIONAL_EXTRACT":
		requireKeys(t, typ, res.Get("extractRun"), append(procRunKeys, extractOnly...)...)
	case "MERGE_EXTRACT":
		requireKeys(t, typ, res, "mergedExtractors", "extractRun")
		requireKeys(t, typ, res.Get("extractRun"), append(procRunKeys, extractOnly...)...)
	case "RULE_VALIDATION":
		requireKeys(t, typ, res, "rules", "allPassed")
	case "EXTERNAL_DATA_VALIDATION":
		requireKeys(t, typ, res.Get("response"), "status", "data")
	default:
		t.Errorf("unknown stepType %q", typ)
	}
}

func TestFinishedDefaultRunShape(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.create("workflow_invoice_1", "https://files.example.org/inbox/acme-invoice-0042.pdf?sig=4f9c")
	e.finish()
	run := e.do("GET", "/workflow_runs/"+id, "").mustStatus(t, 200).json
	checkRunShape(t, run)
	want := []string{"PARSE", "CLASSIFY", "SPLIT", "EXTRACT", "MERGE_EXTRACT", "CONDITIONAL_EXTRACT", "RULE_VALIDATION", "EXTERNAL_DATA_VALIDATION"}
	got := run.Get("stepRuns.#.stepType").Array()
	if len(got) != len(want) {
		t.Fatalf("step types %v, want %v", got, want)
	}
	for i, w := range want {
		if got[i].String() != w {
			t.Errorf("stepRuns[%d].stepType = %s, want %s", i, got[i], w)
		}
	}
	checks := map[string]string{
		"status":                     "PROCESSED",
		"workflow.name":              "AP Invoice Intake",
		"workflowVersion.version":    "3",
		"files.0.name":               "acme-invoice-0042.pdf",
		"files.0.type":               "PDF",
		"files.0.metadata.pageCount": "3",
		"dashboardUrl":               "https://dashboard.extend.ai/workflows/" + id,
		"stepRuns.3.result.extractRun.file.parentFileId": run.Get("files.0.id").String(),
		"stepRuns.4.result.extractRun.extractor":         "",
		"stepRuns.1.result.classifyRun.classifier.id":    ClassifierID,
		"stepRuns.6.result.rules.1.validArray.0":         "true",
		"usage.credits":                                  "12.5",
		"usage.breakdown.#":                              "5",
	}
	for path, w := range checks {
		if g := run.Get(path).String(); g != w {
			t.Errorf("%s = %q, want %q", path, g, w)
		}
	}
	for _, p := range []string{"stepRuns.0.result.parseRun.id", "stepRuns.1.result.classifyRun.id", "stepRuns.2.result.splitRun.id", "stepRuns.3.result.extractRun.id"} {
		if v := run.Get(p).String(); len(v) < 4 {
			t.Errorf("%s = %q", p, v)
		}
	}
	if run.Get("stepRuns.4.result.extractRun.extractor").Type != gjson.Null {
		t.Errorf("merge extractor must be null")
	}
	list := e.do("GET", "/workflow_runs", "").mustStatus(t, 200).json
	requireKeys(t, "list", list, "object", "data")
	requireKeys(t, "summary", list.Get("data.0"), summaryKeys...)
	checkFiles(t, "summary", list.Get("data.0.files"))
	if list.Get("data.0.usage.breakdown").Exists() || list.Get("nextPageToken").Exists() {
		t.Errorf("summary usage has no breakdown and a single page has no token: %s", list.Raw)
	}
}

func TestTimelineProgressive(t *testing.T) {
	e := newEnv(t, Options{PendingFor: time.Second, ProcessFor: 8 * time.Second})
	created := e.do("POST", "/workflow_runs", `{"workflow":{"id":"workflow_x"},"file":{"text":"hello"}}`).mustStatus(t, 200).json
	checkRunShape(t, created)
	id := created.Get("id").String()
	if created.Get("status").String() != "PENDING" || created.Get("stepRuns.#").Int() != 0 ||
		created.Get("usage").Type != gjson.Null || created.Get("initialRunAt").Type != gjson.Null {
		t.Fatalf("new run: %s", created.Raw)
	}
	e.clock.Advance(time.Second + 500*time.Millisecond) // 0.5s into PROCESSING: step 1 running
	prev := 0
	for i := 1; i <= 8; i++ {
		run := e.do("GET", "/workflow_runs/"+id, "").mustStatus(t, 200).json
		checkRunShape(t, run)
		n := int(run.Get("stepRuns.#").Int())
		if run.Get("status").String() != "PROCESSING" || n != i || n <= prev {
			t.Fatalf("at step %d: status %s, %d step runs", i, run.Get("status"), n)
		}
		last := run.Get("stepRuns." + strconv.Itoa(n-1))
		if last.Get("status").String() != "PROCESSING" {
			t.Errorf("running step status %s", last.Get("status"))
		}
		if n > 1 && run.Get("stepRuns."+strconv.Itoa(n-2)+".status").String() != "PROCESSED" {
			t.Errorf("finished step not PROCESSED")
		}
		if run.Get("startTime").Type == gjson.Null || run.Get("endTime").Type != gjson.Null {
			t.Errorf("processing times: %s %s", run.Get("startTime"), run.Get("endTime"))
		}
		prev = n
		e.clock.Advance(time.Second)
	}
	run := e.do("GET", "/workflow_runs/"+id, "").mustStatus(t, 200).json
	if run.Get("status").String() != "PROCESSED" || run.Get("endTime").Type == gjson.Null || run.Get("files.0.type").String() != "TXT" {
		t.Fatalf("final: %s", run.Raw)
	}
}
