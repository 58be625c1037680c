package proxy

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
	"go.uber.org/goleak"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/extend-compat-proxy/extend-compat-proxy/sim"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"))
}

// env is a proxy in front of an upstream, both real HTTP servers on loopback.
type env struct {
	t        *testing.T
	proxy    *Proxy
	srv      *httptest.Server
	upstream *httptest.Server
	sim      *sim.Sim
	logs     *observer.ObservedLogs
}

// newEnv starts the proxy in front of upstream (nil: a fresh simulator).
func newEnv(t *testing.T, upstream http.Handler, mutate ...func(*Options)) *env {
	t.Helper()
	e := &env{t: t}
	if upstream == nil {
		e.sim = sim.New(sim.Options{PendingFor: 10 * time.Millisecond, ProcessFor: 50 * time.Millisecond})
		upstream = e.sim
	}
	e.upstream = httptest.NewServer(upstream)
	u, _ := url.Parse(e.upstream.URL)
	core, logs := observer.New(zap.DebugLevel)
	e.logs = logs
	opt := Options{Upstream: u, Logger: zap.New(core), Transport: NewTransport(TransportOptions{}),
		Retry: RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}}
	for _, m := range mutate {
		m(&opt)
	}
	p, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	e.proxy = p
	e.srv = httptest.NewServer(p)
	t.Cleanup(func() {
		e.srv.Close()
		e.upstream.Close()
		if tr, ok := opt.Transport.(*http.Transport); ok {
			tr.CloseIdleConnections()
		}
	})
	return e
}

// result is a fully read answer.
type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) get(path string) gjson.Result { return gjson.GetBytes(r.body, path) }

// legacy sends a 2025-04-21 request like the legacy SDK does.
func (e *env) legacy(method, path, body string) result {
	return e.do(method, path, body, http.Header{"X-Extend-Api-Version": {"2025-04-21"}})
}

func (e *env) do(method, path, body string, h http.Header) result {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer sk_test_secret_token_123")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, header: resp.Header, body: b}
}

// wantStatus fails unless r has status s and, for errors, the legacy error shape.
func wantStatus(t *testing.T, r result, s int) {
	t.Helper()
	if r.status != s {
		t.Fatalf("status %d, want %d; body %s", r.status, s, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("content type %q, want JSON; body %s", ct, r.body)
	}
	if s >= 400 {
		wantLegacyError(t, r.body)
	}
}

func wantLegacyError(t *testing.T, body []byte) {
	t.Helper()
	if !gjson.ValidBytes(body) || gjson.GetBytes(body, "success").Type != gjson.False ||
		gjson.GetBytes(body, "error").Type != gjson.String || gjson.GetBytes(body, "error").String() == "" {
		t.Fatalf("not a legacy error body: %s", body)
	}
}

// upstreamFunc is a one-line fake upstream.
type upstreamFunc func(w http.ResponseWriter, r *http.Request)

func (f upstreamFunc) ServeHTTP(w http.ResponseWriter, r *http.Request) { f(w, r) }

func jsonReply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func readAll(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	return bytes.TrimSpace(b)
}

func readAllBody(resp *http.Response) []byte {
	b, _ := io.ReadAll(resp.Body)
	return b
}
