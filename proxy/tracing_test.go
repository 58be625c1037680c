package proxy

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/extend-compat-proxy/extend-compat-proxy/sim"
	"github.com/extend-compat-proxy/extend-compat-proxy/tracing"
	"github.com/extend-compat-proxy/extend-compat-proxy/tracing/tracingtest"
)

// traced exports spans with the real OTLP/HTTP exporter to an in-process
// receiver; flush returns what it received once every span was exported.
func traced(t *testing.T) (func(*Options), func() []tracingtest.Span) {
	t.Helper()
	rc := tracingtest.NewReceiver(t)
	cfg := tracing.DefaultConfig()
	cfg.Endpoint = rc.URL()
	tp, err := tracing.Setup(context.Background(), cfg, func(string) string { return "" }, nil)
	if err != nil || tp == nil {
		t.Fatalf("tracing setup: %v (provider %v)", err, tp)
	}
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	flush := func() []tracingtest.Span {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := tp.ForceFlush(ctx); err != nil {
			t.Fatal(err)
		}
		return rc.Spans()
	}
	return func(o *Options) { o.Tracing = tp }, flush
}

// seenUpstream wraps an upstream and keeps the traceparent/tracestate of every request.
type seenUpstream struct {
	next http.Handler
	mu   sync.Mutex
	seen []http.Header
}

func (s *seenUpstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.seen = append(s.seen, http.Header{"Traceparent": r.Header.Values("Traceparent"),
		"Tracestate": r.Header.Values("Tracestate"), "Path": {r.Method + " " + r.URL.Path}})
	s.mu.Unlock()
	s.next.ServeHTTP(w, r)
}

func (s *seenUpstream) headers() []http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]http.Header(nil), s.seen...)
}

// barrier holds each upstream create until n have arrived (or a second
// passed), so only a parallel fan-out gets them all through quickly.
func barrier(n int, next http.Handler) http.Handler {
	var mu sync.Mutex
	arrived, all := 0, make(chan struct{})
	return upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/workflow_runs" {
			mu.Lock()
			if arrived++; arrived == n {
				close(all)
			}
			mu.Unlock()
			select {
			case <-all:
			case <-time.After(time.Second):
			}
		}
		next.ServeHTTP(w, r)
	})
}

func byKind(spans []tracingtest.Span, kind tracepb.Span_SpanKind, name string) []tracingtest.Span {
	var out []tracingtest.Span
	for _, s := range spans {
		if s.Kind == kind && (name == "" || s.Name == name) {
			out = append(out, s)
		}
	}
	return out
}

func oneSpan(t *testing.T, spans []tracingtest.Span, kind tracepb.Span_SpanKind, name string) tracingtest.Span {
	t.Helper()
	got := byKind(spans, kind, name)
	if len(got) != 1 {
		t.Fatalf("%d %v spans named %q, want 1; all: %v", len(got), kind, name, spanNames(spans))
	}
	return got[0]
}

func spanNames(spans []tracingtest.Span) []string {
	var out []string
	for _, s := range spans {
		out = append(out, s.Kind.String()+" "+s.Name+" parent="+s.ParentID())
	}
	return out
}

func wantAttrs(t *testing.T, s tracingtest.Span, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := s.Attr(k); got != v {
			t.Errorf("span %q: %s = %q, want %q", s.Name, k, got, v)
		}
	}
}

// A legacy create with three files is one trace: the server span named by
// its route and three parallel upstream create spans under it, each of which
// the upstream saw as the parent in its traceparent.
func TestTraceOfCreateWithThreeFiles(t *testing.T) {
	opt, flush := traced(t)
	s := sim.New(sim.Options{PendingFor: 10 * time.Millisecond, ProcessFor: 50 * time.Millisecond})
	up := &seenUpstream{next: barrier(3, s)}
	e := newEnv(t, up, opt)
	files := `[{"fileUrl":"https://x.example/1.pdf"},{"fileUrl":"https://x.example/2.pdf"},{"fileUrl":"https://x.example/3.pdf"}]`
	r := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_t","files":`+files+`,"noSuchField":1}`)
	wantStatus(t, r, 200)
	spans := flush()

	srv := oneSpan(t, spans, tracepb.Span_SPAN_KIND_SERVER, "POST /workflow_runs")
	if srv.ParentID() != "" {
		t.Fatalf("server span has parent %s without an incoming traceparent", srv.ParentID())
	}
	wantAttrs(t, srv, map[string]string{"http.request.method": "POST", "http.route": "/workflow_runs",
		"url.path": "/workflow_runs", "http.response.status_code": "200", "extend_compat.route": "create",
		"extend_compat.mode": "translated", "extend_compat.fanout": "3", "extend_compat.upstream_calls": "3",
		"extend_compat.request_id": r.header.Get("X-Request-Id"), "extend_compat.translation.dropped_fields": "1"})
	for _, k := range []string{"server.address", "server.port", "client.address", "network.protocol.version"} {
		if !srv.HasAttr(k) {
			t.Errorf("server span lacks %s", k)
		}
	}
	if srv.Attr("extend_compat.tenant") != "" || strings.Contains(srv.String(), "sk_test_secret") {
		t.Fatal("the API key (or a tenant without a rollout) reached the span")
	}
	if !hasEvent(srv, "translation", "extend_compat.translation.dropped_fields", "1") {
		t.Errorf("no translation event counting the dropped field: %v", srv.Events)
	}

	creates := byKind(spans, tracepb.Span_SPAN_KIND_CLIENT, "POST /workflow_runs")
	if len(creates) != 3 {
		t.Fatalf("%d upstream create spans, want 3: %v", len(creates), spanNames(spans))
	}
	var latestStart, earliestEnd uint64 = 0, ^uint64(0)
	for _, c := range creates {
		if c.TraceID() != srv.TraceID() || c.ParentID() != srv.SpanID() {
			t.Fatalf("create span %s is not a child of the server span %s/%s", c.SpanID(), srv.TraceID(), srv.SpanID())
		}
		wantAttrs(t, c, map[string]string{"extend_compat.upstream.operation": "create", "http.request.method": "POST",
			"http.response.status_code": "200", "url.full": e.upstream.URL + "/workflow_runs"})
		latestStart, earliestEnd = max(latestStart, c.StartTimeUnixNano), min(earliestEnd, c.EndTimeUnixNano)
	}
	if latestStart >= earliestEnd {
		t.Error("the three create spans do not overlap: the fan-out is not visibly parallel")
	}
	wantUpstreamParents(t, up.headers(), srv.TraceID(), creates)
	wantLogTraceID(t, e, srv.TraceID())
}

func hasEvent(s tracingtest.Span, name, key, value string) bool {
	for _, ev := range s.Events {
		attrs := tracingtest.Span{Span: &tracepb.Span{Attributes: ev.Attributes}}
		if ev.Name == name && attrs.Attr(key) == value {
			return true
		}
	}
	return false
}

// wantUpstreamParents checks that every traceparent the upstream saw belongs
// to trace and names one of the client spans as its parent.
func wantUpstreamParents(t *testing.T, seen []http.Header, trace string, clients []tracingtest.Span) {
	t.Helper()
	ids := map[string]bool{}
	for _, c := range clients {
		ids[c.SpanID()] = true
	}
	for _, h := range seen {
		parts := strings.Split(h.Get("Traceparent"), "-")
		if len(parts) != 4 || parts[1] != trace || !ids[parts[2]] {
			t.Errorf("upstream %s saw traceparent %q, want trace %s with a client span as parent", h.Get("Path"), h.Get("Traceparent"), trace)
		}
	}
	if len(seen) != len(clients) {
		t.Errorf("upstream saw %d requests, %d client spans", len(seen), len(clients))
	}
}

func wantLogTraceID(t *testing.T, e *env, trace string) {
	t.Helper()
	for _, l := range e.logs.FilterMessage("request").All() {
		if l.ContextMap()["trace_id"] == trace {
			return
		}
	}
	t.Errorf("no access log line with trace_id %s", trace)
}

// A failed fan-out shows the rollback: a span under the request span and a
// cancel and a delete client span for every run created.
func TestTraceOfFailedFanOutShowsCompensation(t *testing.T) {
	opt, flush := traced(t)
	e := newEnv(t, nil, opt, func(o *Options) { o.FanOutConcurrency = 1 })
	files := `[{"fileUrl":"https://x.example/1.pdf"},{"fileUrl":"https://x.example/2.pdf"},{"fileUrl":"https://x.example/3.pdf"},{"fileUrl":"https://x.example/4.pdf"}]`
	wantStatus(t, e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_err5xx_3","files":`+files+`}`), 500)
	spans := flush()
	srv := oneSpan(t, spans, tracepb.Span_SPAN_KIND_SERVER, "POST /workflow_runs")
	if srv.Status.GetCode() != tracepb.Status_STATUS_CODE_ERROR || srv.Attr("http.response.status_code") != "500" {
		t.Errorf("server span status %v / %s, want an error with 500", srv.Status, srv.Attr("http.response.status_code"))
	}
	creates := byKind(spans, tracepb.Span_SPAN_KIND_CLIENT, "POST /workflow_runs")
	failed := 0
	for _, c := range creates {
		if c.Attr("http.response.status_code") == "500" && c.Status.GetCode() == tracepb.Status_STATUS_CODE_ERROR {
			failed++
		}
	}
	if len(creates) != 3 || failed != 1 {
		t.Fatalf("%d create spans (%d failed), want 3 with 1 failed", len(creates), failed)
	}
	rb := oneSpan(t, spans, tracepb.Span_SPAN_KIND_INTERNAL, "rollback")
	if rb.ParentID() != srv.SpanID() || rb.Attr("extend_compat.rollback.runs") != "2" || rb.Attr("extend_compat.rollback.runs_left") != "0" {
		t.Fatalf("rollback span parent %s runs %s left %s, want child of %s, 2 runs, 0 left",
			rb.ParentID(), rb.Attr("extend_compat.rollback.runs"), rb.Attr("extend_compat.rollback.runs_left"), srv.SpanID())
	}
	for name, op := range map[string]string{"POST /workflow_runs/{id}/cancel": "compensate_cancel", "DELETE /workflow_runs/{id}": "compensate_delete"} {
		got := byKind(spans, tracepb.Span_SPAN_KIND_CLIENT, name)
		if len(got) != 2 {
			t.Fatalf("%d %q spans, want 2: %v", len(got), name, spanNames(spans))
		}
		for _, s := range got {
			if s.ParentID() != rb.SpanID() || s.Attr("extend_compat.upstream.operation") != op || s.TraceID() != srv.TraceID() {
				t.Errorf("%s span: parent %s op %s, want child of the rollback span with op %s", name, s.ParentID(), s.Attr("extend_compat.upstream.operation"), op)
			}
		}
	}
}

const callerTrace, callerSpan = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"

// An incoming traceparent is continued, and the upstream sees a traceparent
// of the same trace whose parent is the proxy's client span, with the
// caller's tracestate.
func TestTraceparentIsContinuedUpstream(t *testing.T) {
	opt, flush := traced(t)
	up := &seenUpstream{next: upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		jsonReply(w, 200, newRunJSON("workflow_run_1", "a.pdf"))
	})}
	e := newEnv(t, up, opt)
	h := http.Header{"X-Extend-Api-Version": {"2025-04-21"}, "Traceparent": {"00-" + callerTrace + "-" + callerSpan + "-01"},
		"Tracestate": {"vendor=opaque"}}
	wantStatus(t, e.do("GET", "/workflow_runs/workflow_run_1", "", h), 200)
	spans := flush()
	srv := oneSpan(t, spans, tracepb.Span_SPAN_KIND_SERVER, "GET /workflow_runs/{id}")
	if srv.TraceID() != callerTrace || srv.ParentID() != callerSpan {
		t.Fatalf("server span %s/%s, want trace %s with parent %s", srv.TraceID(), srv.ParentID(), callerTrace, callerSpan)
	}
	if srv.TraceState != "vendor=opaque" {
		t.Errorf("tracestate %q not continued", srv.TraceState)
	}
	get := oneSpan(t, spans, tracepb.Span_SPAN_KIND_CLIENT, "GET /workflow_runs/{id}")
	if get.ParentID() != srv.SpanID() {
		t.Fatalf("upstream span parent %s, want %s", get.ParentID(), srv.SpanID())
	}
	wantUpstreamParents(t, up.headers(), callerTrace, []tracingtest.Span{get})
	if ts := up.headers()[0].Get("Tracestate"); ts != "vendor=opaque" {
		t.Errorf("upstream saw tracestate %q", ts)
	}
	wantLogTraceID(t, e, callerTrace)
}
