package sim

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

func TestScriptedFinalStates(t *testing.T) {
	e := newEnv(t, Options{})
	cases := []struct {
		wf, status string
		check      func(t *testing.T, run gjson.Result)
	}{
		{"workflow_plain", "PROCESSED", func(t *testing.T, run gjson.Result) {
			if run.Get("reviewed").Bool() || run.Get("reviewedByUser").Type != gjson.Null {
				t.Errorf("plain run must not be reviewed")
			}
		}},
		{"workflow_x_fail", "FAILED", func(t *testing.T, run gjson.Result) {
			if run.Get("failureReason").String() != "FAILED_TO_PROCESS_FILE" || run.Get("failureMessage").String() == "" {
				t.Errorf("failure fields: %s %s", run.Get("failureReason"), run.Get("failureMessage"))
			}
			ex := run.Get(`stepRuns.#(stepType=="EXTRACT")`)
			if ex.Get("status").String() != "FAILED" || ex.Get("result.extractRun.status").String() != "FAILED" ||
				ex.Get("result.extractRun.output").Type != gjson.Null || ex.Get("result.extractRun.failureReason").String() == "" {
				t.Errorf("extract step: %s", ex.Raw)
			}
			if run.Get("usage.credits").Float() != 6 {
				t.Errorf("failed run credits %s", run.Get("usage.credits"))
			}
		}},
		{"workflow_x_review", "NEEDS_REVIEW", nil},
		{"workflow_x_reviewed", "PROCESSED", func(t *testing.T, run gjson.Result) {
			if !run.Get("reviewed").Bool() || run.Get("reviewedByUser").String() == "" || run.Get("reviewedAt").Type == gjson.Null {
				t.Errorf("reviewed fields: %s", run.Raw)
			}
			ex := run.Get(`stepRuns.#(stepType=="EXTRACT").result.extractRun`)
			if !ex.Get("reviewed").Bool() || !ex.Get("edited").Bool() || !ex.Get("initialOutput").IsObject() ||
				!ex.Get("reviewedOutput").IsObject() || !ex.Get("edits.vendor_name").IsObject() ||
				ex.Get("output.value.vendor_name").String() != "Acme Corporation" {
				t.Errorf("reviewed extract run: %s", ex.Raw)
			}
		}},
		{"workflow_x_reject", "REJECTED", func(t *testing.T, run gjson.Result) {
			if run.Get("rejectionNote").String() == "" {
				t.Errorf("no rejection note")
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.wf, func(t *testing.T) {
			id := e.create(c.wf, "https://x.org/a.pdf")
			e.finish()
			run := e.do("GET", "/workflow_runs/"+id, "").mustStatus(t, 200).json
			checkRunShape(t, run)
			if run.Get("status").String() != c.status {
				t.Fatalf("status %s, want %s", run.Get("status"), c.status)
			}
			if c.check != nil {
				c.check(t, run)
			}
		})
	}
}

func TestScriptedCreateFailures(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.do("POST", "/workflow_runs", `{"workflow":{"id":"workflow_x_badcreate"},"file":{"id":"f"}}`)
	assertAPIError(t, r, 400, "INVALID_REQUEST")
	if r.json.Get("message").String() != "Workflow has no published version" {
		t.Errorf("badcreate message %s", r.json.Get("message"))
	}
	assertAPIError(t, e.do("POST", "/workflow_runs/batch", `{"workflow":{"id":"workflow_x_badcreate"},"inputs":[{"file":{"id":"f"}}]}`), 400, "INVALID_REQUEST")
	assertAPIError(t, e.do("POST", "/workflow_runs", `{"workflow":{"id":"wf_nope"},"file":{"id":"f"}}`), 404, codeNotFound)
	assertAPIError(t, e.do("POST", "/workflow_runs/batch", `{"workflow":{"id":"wf_nope"},"inputs":[{"file":{"id":"f"}}]}`), 404, codeNotFound)

	body := `{"workflow":{"id":"workflow_y_err5xx_2"},"file":{"id":"f"}}`
	e.do("POST", "/workflow_runs", body).mustStatus(t, 200)
	r = e.do("POST", "/workflow_runs", body)
	assertAPIError(t, r, 500, codeInternal)
	if !r.json.Get("retryable").Bool() {
		t.Errorf("5xx must be retryable")
	}
	e.do("POST", "/workflow_runs", body).mustStatus(t, 200)

	body = `{"workflow":{"id":"workflow_z_err429_1"},"file":{"id":"f"}}`
	r = e.do("POST", "/workflow_runs", body)
	assertAPIError(t, r, 429, codeRateLimited)
	if r.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	e.do("POST", "/workflow_runs", body).mustStatus(t, 200)
	if n := e.sim.RunCount(); n != 3 {
		t.Errorf("RunCount %d, want 3", n)
	}
}

func TestScriptedSlowAndDelay(t *testing.T) {
	e := newEnv(t, Options{})
	id := e.create("workflow_s_slow", "https://x.org/a.pdf")
	e.clock.Advance(50 * time.Minute)
	if st := e.do("GET", "/workflow_runs/"+id, "").json.Get("status").String(); st != "PROCESSING" {
		t.Fatalf("slow run status %s", st)
	}
	e.do("POST", "/workflow_runs/"+id+"/cancel", "").mustStatus(t, 200)

	// A delayed create answers after the delay.
	e.do("POST", "/workflow_runs", `{"workflow":{"id":"workflow_d_delay_30"},"file":{"id":"f"}}`).mustStatus(t, 200)
	// A client that gives up during the delay leaves no run behind.
	before := e.sim.RunCount()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", e.srv.URL+"/workflow_runs",
		strings.NewReader(`{"workflow":{"id":"workflow_d_delay_60000"},"file":{"id":"f"}}`))
	req.Header.Set("Authorization", "Bearer k")
	req.Header.Set("x-extend-api-version", newVersion)
	if res, err := e.srv.Client().Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("expected the client to time out, got %d", res.StatusCode)
	}
	// The handler notices the cancellation asynchronously; wait for its record.
	deadline := time.Now().Add(5 * time.Second)
	for len(e.sim.Requests()) < 5 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	reqs := e.sim.Requests()
	if last := reqs[len(reqs)-1]; last.Status != 499 {
		t.Errorf("cancelled delayed create recorded status %d", last.Status)
	}
	if e.sim.RunCount() != before {
		t.Errorf("a cancelled delayed create stored a run")
	}
}
