package proxy

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/extend-compat-proxy/extend-compat-proxy/rollout"
	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// panickingRegistry is the default registry with one route's response
// transform replaced by one that panics: a stand-in for a translation bug
// on an answer nobody foresaw.
func panickingRegistry(t *testing.T, route string) *translate.Registry {
	t.Helper()
	steps := translate.Default.Steps()
	if len(steps) != 1 {
		t.Fatalf("%d steps in the default registry, this helper expects one", len(steps))
	}
	s := *steps[0]
	s.Endpoints = maps.Clone(s.Endpoints)
	ep, ok := s.Endpoints[route]
	if !ok {
		t.Fatalf("no endpoint %q", route)
	}
	ep.Response = func(*translate.Context, translate.Message) (translate.Message, error) {
		panic("translation bug on " + route)
	}
	s.Endpoints[route] = ep
	reg, err := translate.NewRegistry(&s)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// wantPanicLogged checks that one panic of request id was logged with its
// stack, from where, and that the request still has its access log line with
// status.
func wantPanicLogged(t *testing.T, e *env, id, where string, status int) {
	t.Helper()
	var panics, lines int
	for _, l := range e.logs.FilterMessage("panic recovered").All() {
		m := l.ContextMap()
		if m["request_id"] != id {
			continue
		}
		panics++
		if m["in"] != where || !strings.Contains(fmt.Sprint(m["panic"]), "bug") ||
			!strings.Contains(fmt.Sprint(m["stack"]), "proxy") {
			t.Errorf("panic log entry: %v", m)
		}
	}
	for _, l := range e.logs.FilterMessage("request").All() {
		if m := l.ContextMap(); m["request_id"] == id {
			lines++
			if m["status"] != int64(status) {
				t.Errorf("access log status %v, want %d", m["status"], status)
			}
		}
	}
	if panics != 1 || lines != 1 {
		t.Errorf("request %s: %d panic log entries and %d access log lines, want 1 and 1", id, panics, lines)
	}
}

// decisions records what the proxy reports to the rollout decider.
type decisions struct {
	mu       sync.Mutex
	statuses []int
}

func (d *decisions) Decide(string, string, string) rollout.Decision {
	return rollout.Decision{Mode: rollout.Translate}
}

func (d *decisions) Observe(_ string, _ rollout.Decision, status int, _ bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.statuses = append(d.statuses, status)
}

// A panic in a handler is a 500 in the legacy error shape, logged with its
// stack, counted, seen by the rollout decider and written to the access
// log: not a connection dropped with a Go stack trace on stderr. The proxy
// goes on serving.
func TestHandlerPanicIsALegacy500(t *testing.T) {
	dec := &decisions{}
	e := newEnv(t, nil, func(o *Options) { o.Registry, o.Modes = panickingRegistry(t, translate.RouteGet), dec })
	created := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_ok","rawTexts":["hello"]}`)
	wantStatus(t, created, 200)
	id := created.get("workflowRuns.0.id").String()

	res := e.legacy("GET", "/workflow_runs/"+id, "")
	wantStatus(t, res, 500)
	wantLegacyError(t, res.body)
	reqID := res.header.Get("X-Request-Id")
	if reqID == "" || !strings.Contains(res.get("error").String(), reqID) {
		t.Errorf("the message should give the request id %q to look the bug up by: %s", reqID, res.body)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	wantPanicLogged(t, e, reqID, "handler", 500)
	var m dto.Metric
	if err := e.proxy.metrics.panics.WithLabelValues(translate.RouteGet).Write(&m); err != nil || m.GetCounter().GetValue() != 1 {
		t.Errorf("panics_total{route=get} = %v (%v), want 1", m.GetCounter().GetValue(), err)
	}
	dec.mu.Lock()
	if got := dec.statuses; len(got) != 2 || got[0] != 200 || got[1] != 500 {
		t.Errorf("the decider saw %v, want [200 500]", got)
	}
	dec.mu.Unlock()

	// Still serving, on the same route's siblings and the same connection pool.
	wantStatus(t, e.legacy("GET", "/workflow_runs", ""), 200)
}

// A panic after the fan-out (translating the created runs' answer) rolls
// every created run back before the 500: nothing is left behind.
func TestPanicAfterFanOutRollsBack(t *testing.T) {
	e := newEnv(t, nil, func(o *Options) { o.Registry = panickingRegistry(t, translate.RouteCreate) })
	res := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_ok","rawTexts":["a","b","c"]}`)
	wantStatus(t, res, 500)
	wantLegacyError(t, res.body)
	if n := e.sim.RunCount(); n != 0 {
		t.Fatalf("%d runs left behind after a panic", n)
	}
	var creates, deletes int
	for _, rec := range e.sim.Requests() {
		switch {
		case rec.Method == "POST" && rec.Path == "/workflow_runs" && rec.Status == 200:
			creates++
		case rec.Method == "DELETE" && rec.Status < 300:
			deletes++
		}
	}
	if creates != 3 || deletes != 3 {
		t.Errorf("creates=%d deletes=%d, want 3 and 3", creates, deletes)
	}
	wantPanicLogged(t, e, res.header.Get("X-Request-Id"), "create answer", 500)
}

// panicOn is a Transport that panics on the nth upstream call that match
// accepts (every one when n is 0), as a bug in a custom transport would,
// inside one of the goroutines a request starts.
type panicOn struct {
	match func(*http.Request) bool
	n     int32
	seen  atomic.Int32
}

func (p *panicOn) RoundTrip(r *http.Request) (*http.Response, error) {
	if p.match(r) {
		if k := p.seen.Add(1); p.n == 0 || k == p.n {
			panic("transport bug")
		}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// A panic in a fan-out goroutine would end the process (net/http recovers
// only the handler's own goroutine). It is a failed input whose outcome is
// unknown: the runs created are rolled back, and the answer is the 409 that
// tells the legacy SDK not to retry blindly.
func TestPanicInFanOutGoroutine(t *testing.T) {
	e := newEnv(t, nil, func(o *Options) {
		o.FanOutConcurrency = 1
		o.Transport = &panicOn{n: 2, match: func(r *http.Request) bool {
			return r.Method == http.MethodPost && r.URL.Path == "/workflow_runs"
		}}
	})
	res := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_ok","rawTexts":["a","b","c"]}`)
	wantStatus(t, res, 409)
	wantLegacyError(t, res.body)
	if msg := res.get("error").String(); !strings.Contains(msg, "outcome unknown for input 1") {
		t.Errorf("the 409 should name the input whose outcome is unknown: %s", msg)
	}
	if n := e.sim.RunCount(); n != 0 {
		t.Fatalf("%d runs left behind", n)
	}
	wantPanicLogged(t, e, res.header.Get("X-Request-Id"), "fan-out create", 409)
	wantStatus(t, e.legacy("GET", "/workflow_runs", ""), 200)
}

// A panic while deleting a run during a rollback leaves that run behind: the
// answer is the 409 naming it, and the process lives on.
func TestPanicInRollbackDelete(t *testing.T) {
	e := newEnv(t, nil, func(o *Options) {
		o.FanOutConcurrency = 1
		o.Transport = &panicOn{match: func(r *http.Request) bool { return r.Method == http.MethodDelete }}
	})
	files := `[{"fileUrl":"https://x.example/1.pdf"},{"fileUrl":"https://x.example/2.pdf"},{"fileUrl":"https://x.example/3.pdf"}]`
	res := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_err5xx_3","files":`+files+`}`)
	wantStatus(t, res, 409)
	wantLegacyError(t, res.body)
	if n := e.sim.RunCount(); n != 2 {
		t.Fatalf("%d runs exist, want the 2 whose delete panicked", n)
	}
	if msg := res.get("error").String(); strings.Count(msg, "workflow_run_") != 2 {
		t.Errorf("the 409 should name the 2 runs left behind: %s", msg)
	}
	id := res.header.Get("X-Request-Id")
	var panics int
	for _, l := range e.logs.FilterMessage("panic recovered").All() {
		if m := l.ContextMap(); m["request_id"] == id && m["in"] == "rollback delete" {
			panics++
		}
	}
	if panics != 2 {
		t.Errorf("%d rollback-delete panics logged, want 2", panics)
	}
	wantStatus(t, e.legacy("GET", "/workflow_runs", ""), 200)
}

// A panic while reading one item of an expanded list fails that list as any
// failed read does (502, naming the item), with the request id to look the
// bug up by, and the process lives on.
func TestPanicInListRead(t *testing.T) {
	up := newEvalUpstream(2)
	e := newEnv(t, up, func(o *Options) {
		o.Transport = &panicOn{n: 2, match: func(r *http.Request) bool {
			return r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/items/")
		}}
	})
	res := e.legacy("GET", "/evaluation_sets/ev_set_1/items", "")
	wantStatus(t, res, 502)
	wantLegacyError(t, res.body)
	id := res.header.Get("X-Request-Id")
	if msg := res.get("error").String(); !strings.Contains(msg, "reading item") || !strings.Contains(msg, id) {
		t.Errorf("the answer should name the item and the request id %s: %s", id, msg)
	}
	wantPanicLogged(t, e, id, "list read", 502)
	// The transport panicked once; the same list now reads whole.
	wantStatus(t, e.legacy("GET", "/evaluation_sets/ev_set_1/items", ""), 200)
}

// When an upstream body breaks off mid-copy, passthrough aborts the answer
// (httputil panics with http.ErrAbortHandler): the client sees a broken
// body, never one that looks complete, and the request still gets its
// access log line.
func TestAbortedPassthroughIsLogged(t *testing.T) {
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"object":"list","data":[`)
		w.(http.Flusher).Flush()
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = buf.Flush()
			_ = conn.Close()
		}
	}))
	req, err := http.NewRequest("GET", e.srv.URL+"/files", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Extend-Api-Version", translate.NewVersion)
	req.Header.Set("X-Request-Id", "req_aborted_answer")
	// The headers may not have left the proxy's buffer when it aborts: the
	// client sees either no answer or a body cut short, never a whole one.
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("reading the cut answer: %v, want unexpected EOF", err)
		}
	} else if !errors.Is(err, io.EOF) {
		t.Errorf("the cut answer: %v, want EOF", err)
	}
	id := "req_aborted_answer"
	var found bool
	for _, l := range e.logs.FilterMessage("request").All() {
		if m := l.ContextMap(); m["request_id"] == id {
			found = true
			if !strings.Contains(fmt.Sprint(m["error"]), "aborted") {
				t.Errorf("access log line without the abort: %v", m)
			}
		}
	}
	if !found {
		t.Errorf("no access log line for the aborted request %s", id)
	}
	if len(e.logs.FilterLoggerName("passthrough").FilterMessageSnippet("body copy").All()) != 1 {
		t.Error("httputil's report of the broken copy should be in the proxy's log, named passthrough")
	}
	if len(e.logs.FilterMessage("panic recovered").All()) != 0 {
		t.Error("a deliberate abort is not a bug and must not be logged as a panic")
	}
}
