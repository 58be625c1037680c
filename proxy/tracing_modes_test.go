package proxy

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/extend-compat-proxy/extend-compat-proxy/rollout"
	"github.com/extend-compat-proxy/extend-compat-proxy/tracing/tracingtest"
)

// Passthrough requests (2026-02-09 callers) get an otelhttp client span, and
// the upstream sees the proxy's span as parent instead of the caller's.
func TestTraceOfPassthrough(t *testing.T) {
	opt, flush := traced(t)
	up := &seenUpstream{next: upstreamFunc(func(w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, `{}`) })}
	e := newEnv(t, up, opt)
	h := http.Header{"X-Extend-Api-Version": {"2026-02-09"}, "Traceparent": {"00-" + callerTrace + "-" + callerSpan + "-01"}}
	wantStatus(t, e.do("GET", "/processors/p_123", "", h), 200)
	spans := flush()
	srv := oneSpan(t, spans, tracepb.Span_SPAN_KIND_SERVER, "GET")
	wantAttrs(t, srv, map[string]string{"extend_compat.route": "other", "extend_compat.mode": "passthrough", "url.path": "/processors/p_123"})
	cl := oneSpan(t, spans, tracepb.Span_SPAN_KIND_CLIENT, "GET")
	if cl.ParentID() != srv.SpanID() || cl.Attr("extend_compat.upstream.operation") != "passthrough" {
		t.Fatalf("passthrough client span parent %s op %q", cl.ParentID(), cl.Attr("extend_compat.upstream.operation"))
	}
	wantUpstreamParents(t, up.headers(), callerTrace, []tracingtest.Span{cl})
}

// A shadowed read: the served passthrough call and the shadow's translated
// call are both in the request's trace; the shadow runs under its own span.
func TestTraceOfShadowedRead(t *testing.T) {
	opt, flush := traced(t)
	rc := rollout.DefaultConfig()
	rc.DefaultMode = rollout.Shadow
	modes, ctrl, sh := withModes(t, rc, shadowConfig())
	_ = ctrl
	e := newEnv(t, nil, opt, modes)
	created := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_s","rawTexts":["a"]}`)
	id := created.get("workflowRuns.0.id").String()
	wantStatus(t, e.legacy("GET", "/workflow_runs/"+id, ""), 200)
	drain(t, sh)
	spans := flush()
	srv := oneSpan(t, spans, tracepb.Span_SPAN_KIND_SERVER, "GET /workflow_runs/{id}")
	wantAttrs(t, srv, map[string]string{"extend_compat.mode": "shadow-passthrough", "extend_compat.route": "get"})
	sp := oneSpan(t, spans, tracepb.Span_SPAN_KIND_INTERNAL, "shadow get")
	if sp.ParentID() != srv.SpanID() || sp.TraceID() != srv.TraceID() {
		t.Fatalf("shadow span parent %s, want the request span %s", sp.ParentID(), srv.SpanID())
	}
	shadowCall := oneSpan(t, spans, tracepb.Span_SPAN_KIND_CLIENT, "GET /workflow_runs/{id}")
	if shadowCall.ParentID() != sp.SpanID() || shadowCall.Attr("extend_compat.upstream.operation") != "get" {
		t.Fatalf("shadow's upstream call parent %s, want the shadow span %s", shadowCall.ParentID(), sp.SpanID())
	}
}

// With tracing off nothing is added: no traceparent upstream, no trace id in the log.
func TestTracingOffAddsNothing(t *testing.T) {
	up := &seenUpstream{next: upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		jsonReply(w, 200, newRunJSON("workflow_run_1", "a.pdf"))
	})}
	e := newEnv(t, up)
	h := http.Header{"X-Extend-Api-Version": {"2025-04-21"}, "Traceparent": {"00-" + callerTrace + "-" + callerSpan + "-01"}}
	wantStatus(t, e.do("GET", "/workflow_runs/workflow_run_1", "", h), 200)
	if tp := up.headers()[0].Get("Traceparent"); tp != "" {
		t.Errorf("translated call carried traceparent %q with tracing off", tp)
	}
	for _, l := range e.logs.FilterMessage("request").All() {
		if _, ok := l.ContextMap()["trace_id"]; ok {
			t.Error("trace_id logged with tracing off")
		}
	}
}

// With a rollout, the span names the tenant by its fingerprint (as the access
// log does) and the mode with its reason; health checks make no traces.
func TestTraceCarriesTenantFingerprintNotKey(t *testing.T) {
	opt, flush := traced(t)
	rc := rollout.DefaultConfig()
	rc.FingerprintKey = "fp-key"
	modes, _, _ := withModes(t, rc, shadowConfig())
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		jsonReply(w, 200, newRunJSON("workflow_run_1", "a.pdf"))
	}), opt, modes)
	wantStatus(t, e.legacy("GET", "/workflow_runs/workflow_run_1", ""), 200)
	wantStatus(t, e.do("GET", "/healthz", "", nil), 200)
	spans := flush()
	srv := oneSpan(t, spans, tracepb.Span_SPAN_KIND_SERVER, "GET /workflow_runs/{id}")
	want := rollout.Fingerprint([]byte("fp-key"), "Bearer sk_test_secret_token_123")
	if want == "" || srv.Attr("extend_compat.tenant") != want || srv.Attr("extend_compat.mode") != "translated" ||
		srv.Attr("extend_compat.mode_reason") == "" {
		t.Fatalf("tenant %q mode %q reason %q, want fingerprint %q", srv.Attr("extend_compat.tenant"),
			srv.Attr("extend_compat.mode"), srv.Attr("extend_compat.mode_reason"), want)
	}
	for _, s := range spans {
		if strings.Contains(s.String(), "sk_test_secret") || strings.Contains(s.Name, "healthz") || s.Attr("url.path") == "/healthz" {
			t.Fatalf("span %q carries the API key or traces a health check", s.Name)
		}
	}
}

// A retried read shows one client span per attempt; the retry carries its resend count.
func TestTraceOfRetriedUpstreamCall(t *testing.T) {
	opt, flush := traced(t)
	var mu sync.Mutex
	calls := 0
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			jsonReply(w, 503, `{"code":"UNAVAILABLE","message":"later","retryable":true}`)
			return
		}
		jsonReply(w, 200, newRunJSON("workflow_run_1", "a.pdf"))
	}), opt)
	wantStatus(t, e.legacy("GET", "/workflow_runs/workflow_run_1", ""), 200)
	gets := byKind(flush(), tracepb.Span_SPAN_KIND_CLIENT, "GET /workflow_runs/{id}")
	if len(gets) != 2 {
		t.Fatalf("%d client spans for a retried get, want 2", len(gets))
	}
	codes := map[string]string{}
	for _, g := range gets {
		codes[g.Attr("http.request.resend_count")] = g.Attr("http.response.status_code")
	}
	if codes[""] != "503" || codes["1"] != "200" {
		t.Fatalf("attempts by resend count: %v, want first 503 and resend 1 with 200", codes)
	}
}
