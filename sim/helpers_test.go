package sim

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// fakeClock lets tests move time without sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is one sim behind a real HTTP server.
type env struct {
	t     *testing.T
	sim   *Sim
	srv   *httptest.Server
	clock *fakeClock
}

func newEnv(t *testing.T, o Options) *env {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 2, 20, 14, 11, 7, 412e6, time.UTC)}
	if o.Now == nil {
		o.Now = clock.Now
	}
	if o.PendingFor == 0 {
		o.PendingFor = time.Second
	}
	if o.ProcessFor == 0 {
		o.ProcessFor = 8 * time.Second
	}
	s := New(o)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &env{t: t, sim: s, srv: srv, clock: clock}
}

// resp is a decoded answer.
type resp struct {
	status int
	header http.Header
	body   []byte
	json   gjson.Result
}

func (e *env) doVersion(version, method, path, body string) resp {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer sk_test_secret")
	if version != "" {
		req.Header.Set("x-extend-api-version", version)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.send(req)
}

func (e *env) send(req *http.Request) resp {
	e.t.Helper()
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if len(bytes.TrimSpace(b)) > 0 && !gjson.ValidBytes(b) {
		e.t.Fatalf("%s %s: invalid JSON body %q", req.Method, req.URL, b)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b, json: gjson.ParseBytes(b)}
}

func (e *env) do(method, path, body string) resp {
	e.t.Helper()
	return e.doVersion(newVersion, method, path, body)
}

// mustStatus fails unless r has the status.
func (r resp) mustStatus(t *testing.T, want int) resp {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %s", r.status, want, r.body)
	}
	return r
}

// create makes a run from a URL file and returns its id.
func (e *env) create(workflowID, fileURL string) string {
	e.t.Helper()
	r := e.do("POST", "/workflow_runs", `{"workflow":{"id":"`+workflowID+`"},"file":{"url":"`+fileURL+`"}}`)
	r.mustStatus(e.t, 200)
	return r.json.Get("id").String()
}

// finish moves the clock past the end of a default run.
func (e *env) finish() { e.clock.Advance(time.Minute) }

// assertAPIError checks the ApiError shape.
func assertAPIError(t *testing.T, r resp, status int, code string) {
	t.Helper()
	r.mustStatus(t, status)
	for _, k := range []string{"code", "message", "retryable", "requestId"} {
		if !r.json.Get(k).Exists() {
			t.Errorf("ApiError lacks %s: %s", k, r.body)
		}
	}
	if code != "" && r.json.Get("code").String() != code {
		t.Errorf("code %q, want %q", r.json.Get("code").String(), code)
	}
}

// requireKeys checks every key exists in obj (values may be null).
func requireKeys(t *testing.T, where string, obj gjson.Result, keys ...string) {
	t.Helper()
	if !obj.IsObject() {
		t.Errorf("%s: not an object: %s", where, obj.Raw)
		return
	}
	for _, k := range keys {
		if !obj.Get(k).Exists() {
			t.Errorf("%s: missing required key %q", where, k)
		}
	}
}
