package proxy

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// countingUpstream records how many body bytes reached it.
func countingUpstream(n *atomic.Int64, calls *atomic.Int32) upstreamFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		c, _ := io.Copy(io.Discard, r.Body)
		n.Add(c)
		jsonReply(w, 200, `{}`)
	}
}

// lastAccessStatus returns the status of the last access log line.
func (e *env) lastAccessStatus() int64 {
	lines := e.logs.FilterMessage("request").All()
	if len(lines) == 0 {
		e.t.Fatal("no access log line")
	}
	return lines[len(lines)-1].ContextMap()["status"].(int64)
}

// Regression (issue 12.4): a passthrough body over the limit was streamed
// upstream before the 413, and the access log and metrics said 100.
func TestOversizedPassthroughBodyNeverReachesUpstream(t *testing.T) {
	const limit = 1 << 20
	var got atomic.Int64
	var calls atomic.Int32
	reg := prometheus.NewRegistry()
	e := newEnv(t, countingUpstream(&got, &calls), func(o *Options) {
		o.MaxBodyBytes = limit
		o.Metrics = NewMetrics(reg)
	})
	body := bytes.Repeat([]byte("a"), 3*limit)
	for _, tc := range []struct {
		name    string
		chunked bool
		expect  bool
	}{{"content-length", false, false}, {"expect-continue", false, true}, {"chunked", true, false}} {
		t.Run(tc.name, func(t *testing.T) {
			got.Store(0)
			var rd io.Reader = bytes.NewReader(body)
			if tc.chunked {
				rd = io.MultiReader(rd) // hides the length: the client sends it chunked
			}
			req, _ := http.NewRequest("POST", e.srv.URL+"/files/upload", rd)
			req.Header.Set("X-Extend-Api-Version", "2026-02-09")
			if tc.expect {
				req.Header.Set("Expect", "100-continue")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), "REQUEST_TOO_LARGE") {
				t.Fatalf("got %d %s, want 413 ApiError", resp.StatusCode, b)
			}
			if n := got.Load(); tc.chunked && n > limit || !tc.chunked && calls.Load() > 0 {
				t.Fatalf("%d body bytes in %d calls reached the upstream", n, calls.Load())
			}
			if s := e.lastAccessStatus(); s != 413 {
				t.Fatalf("access log status %d, want 413", s)
			}
		})
	}
	if n := gathered(t, reg, "extend_compat_requests_total", map[string]string{"code": "413", "mode": modePassthrough}); n != 3 {
		t.Fatalf("requests_total{code=413} = %v, want 3", n)
	}
	r := e.legacy("POST", "/workflow_runs", strings.Repeat(" ", 2*limit)+"{}")
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
}

// gathered sums the samples of metric name whose labels include want.
func gathered(t *testing.T, reg *prometheus.Registry, name string, want map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metrics:
		for _, m := range mf.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for k, v := range want {
				if have[k] != v {
					continue metrics
				}
			}
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}

// Regression (issue 12.5): invalid UTF-8 in a JSON string was forwarded, and
// the upstream stored U+FFFD in its place.
func TestInvalidUTF8IsRefusedNamingTheField(t *testing.T) {
	var calls atomic.Int32
	var n atomic.Int64
	e := newEnv(t, countingUpstream(&n, &calls))
	for _, tc := range []struct{ body, field string }{
		{"{\"workflowId\":\"workflow_\xff\"}", "workflowId"},
		{"{\"workflowId\":\"w\",\"files\":[{\"fileUrl\":\"https://x/a.pdf\",\"fileName\":\"a\xc3.pdf\"}]}", "files[0].fileName"},
		{"{\"workflowId\":\"w\",\"metadata\":{\"k\xfe\":1}}", "the key metadata.k\uFFFD"},
		{"not json \xff", "request body"},
	} {
		r := e.legacy("POST", "/workflow_runs", tc.body)
		wantStatus(t, r, http.StatusBadRequest)
		if msg := r.get("error").String(); !strings.HasPrefix(msg, tc.field+" ") {
			t.Errorf("error %q does not name %s", msg, tc.field)
		}
	}
	r := e.legacy("POST", "/workflow_runs/batch", "{\"workflowId\":\"w\",\"inputs\":[{\"rawText\":\"\xff\"}]}")
	wantStatus(t, r, http.StatusBadRequest)
	r = e.legacy("POST", "/workflow_runs/workflow_run_1", "{\"name\":\"\xff\"}")
	wantStatus(t, r, http.StatusBadRequest)
	if calls.Load() != 0 {
		t.Fatalf("%d requests with invalid UTF-8 reached the upstream", calls.Load())
	}
}

// Regression (issue 12.6): an id with an encoded slash reached the upstream
// double-encoded (%252F).
func TestEncodedIDIsForwardedAsOneSegment(t *testing.T) {
	seen := make(chan string, 8)
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.RequestURI
		jsonReply(w, 404, `{"code":"NOT_FOUND","message":"no such run","retryable":false}`)
	}))
	for _, tc := range []struct{ in, want string }{
		{"/workflow_runs/workflow_run_a%2Fb", "/workflow_runs/workflow_run_a%2Fb"},
		{"/workflow_runs/workflow_run_a%20b", "/workflow_runs/workflow_run_a%20b"},
		{"/workflow_runs/workflow_run_a%3Fx%3D1/cancel", "/workflow_runs/workflow_run_a%3Fx=1/cancel"},
	} {
		method := "GET"
		if strings.HasSuffix(tc.in, "/cancel") {
			method = "POST"
		}
		wantStatus(t, e.legacy(method, tc.in, ""), http.StatusNotFound)
		if got := <-seen; got != tc.want {
			t.Errorf("%s reached the upstream as %s, want %s", tc.in, got, tc.want)
		}
	}
}

// Regression (issue 12.7): GET /workflow_runs/ was passed through untranslated
// and the legacy caller got a 2026-02-09 answer.
func TestTrailingSlashIsTheSameTranslatedRoute(t *testing.T) {
	e := newEnv(t, nil)
	created := e.legacy("POST", "/workflow_runs/", `{"workflowId":"workflow_slash","rawTexts":["x"]}`)
	wantStatus(t, created, 200)
	id := created.get("workflowRuns.0.id").String()
	if !created.get("success").Bool() || id == "" {
		t.Fatalf("create with a trailing slash was not translated: %s", created.body)
	}
	list := e.legacy("GET", "/workflow_runs/", "")
	wantStatus(t, list, 200)
	if !list.get("workflowRuns").IsArray() || list.get("data").Exists() {
		t.Fatalf("list with a trailing slash was not translated: %s", list.body)
	}
	got := e.legacy("GET", "/workflow_runs/"+id+"/", "")
	wantStatus(t, got, 200)
	if got.get("workflowRun.id").String() != id {
		t.Fatalf("get with a trailing slash: %s", got.body)
	}
	upd := e.legacy("POST", "/workflow_runs/"+id+"/", `{"name":"renamed"}`)
	wantStatus(t, upd, 200)
	if upd.get("workflowRun.name").String() != "renamed" {
		t.Fatalf("update with a trailing slash: %s", upd.body)
	}
	cancel := e.legacy("POST", "/workflow_runs/"+id+"/cancel/", "")
	if cancel.status != 200 && cancel.status != 400 {
		t.Fatalf("cancel with a trailing slash: %d %s", cancel.status, cancel.body)
	}
	wantStatus(t, cancel, cancel.status)
	missing := e.legacy("GET", "/workflow_runs/workflow_run_nope/", "")
	wantStatus(t, missing, 404)
	if missing.get("code").Exists() {
		t.Fatalf("a 2026-02-09 error reached a legacy caller: %s", missing.body)
	}
	wantStatus(t, e.legacy("DELETE", "/workflow_runs/"+id+"/", ""), 200)
}
