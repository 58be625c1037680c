package proxy

import (
	"context"
	"net/http"
	"net/http/httputil"
	"strings"

	"github.com/gorilla/mux"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/extend-compat-proxy/extend-compat-proxy/shadow"
	"github.com/extend-compat-proxy/extend-compat-proxy/tracing"
	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// Span attributes of our own (the HTTP ones follow the semantic conventions).
// None carries an API key, a body or a field value.
const (
	attrRoute           = "extend_compat.route"      // create, get, list, … other
	attrRequestID       = "extend_compat.request_id" // the X-Request-Id of the access log
	attrMode            = "extend_compat.mode"       // translated, passthrough, shadow-…, local
	attrModeReason      = "extend_compat.mode_reason"
	attrTenant          = "extend_compat.tenant" // rollout fingerprint of the API key, never the key
	attrFanout          = "extend_compat.fanout"
	attrUpstreamCalls   = "extend_compat.upstream_calls"
	attrDropped         = "extend_compat.translation.dropped_fields"
	attrSynthesized     = "extend_compat.translation.synthesized_fields"
	attrTranslationFail = "extend_compat.translation.failed"
	attrOperation       = "extend_compat.upstream.operation" // create, get, compensate_cancel, passthrough, …
	attrRuns            = "extend_compat.rollback.runs"
	attrRunsLeft        = "extend_compat.rollback.runs_left"
)

// traceRequest starts the server span of a client request (health checks
// excepted). With tracing off it returns r untouched and costs nothing.
func (p *Proxy) traceRequest(r *http.Request, st *reqState) *http.Request {
	if p.opt.Tracing == nil || st.route == routeHealth {
		return r
	}
	route := ""
	if st.route != routeOther {
		// The template, never the raw path: ids would make every span name unique.
		if cr := mux.CurrentRoute(r); cr != nil {
			route, _ = cr.GetPathTemplate()
		}
	}
	r, _ = p.opt.Tracing.StartServer(r, route,
		attribute.String(attrRoute, st.route), attribute.String(attrRequestID, st.id))
	return r
}

// requestSpan is the server span traceRequest put in r's context; nil when
// tracing is off or the request is not traced. It lives in the context, not
// in reqState, so tracing off does not even grow the per-request state.
func (p *Proxy) requestSpan(r *http.Request) trace.Span {
	if p.opt.Tracing == nil {
		return nil
	}
	if span := trace.SpanFromContext(r.Context()); span.SpanContext().IsValid() {
		return span
	}
	return nil
}

// endRequestSpan records what the request accumulated and ends its span.
func (p *Proxy) endRequestSpan(r *http.Request, st *reqState, status int) {
	span := p.requestSpan(r)
	if span == nil {
		return
	}
	if !span.IsRecording() {
		span.End()
		return
	}
	attrs := []attribute.KeyValue{attribute.String(attrMode, st.mode),
		attribute.Int(attrUpstreamCalls, int(st.upstreamCalls.Load()))}
	if st.tenant != "" {
		attrs = append(attrs, attribute.String(attrTenant, st.tenant), attribute.String(attrModeReason, st.reason))
	}
	if st.fanout > 0 {
		attrs = append(attrs, attribute.Int(attrFanout, st.fanout))
	}
	st.mu.Lock()
	attrs = append(attrs, attribute.Int(attrDropped, len(st.unmapped)+len(st.unknown)), attribute.Int(attrSynthesized, len(st.synthesized)))
	st.mu.Unlock()
	if st.translationFailed {
		attrs = append(attrs, attribute.Bool(attrTranslationFail, true))
	}
	span.SetAttributes(attrs...)
	tracing.EndServer(span, status, st.errMsg)
}

// traceID is the request's trace id for the access log; "" when not traced.
func (p *Proxy) traceID(r *http.Request) string {
	if span := p.requestSpan(r); span != nil {
		return span.SpanContext().TraceID().String()
	}
	return ""
}

// traceReport adds a translation event with the counts (never the fields'
// values) of what one translation dropped and synthesised.
func (p *Proxy) traceReport(r *http.Request, rep *translate.Report) {
	if p.opt.Tracing == nil || rep == nil {
		return
	}
	span := trace.SpanFromContext(r.Context())
	if !span.IsRecording() {
		return
	}
	span.AddEvent("translation", trace.WithAttributes(
		attribute.Int(attrDropped, len(rep.Unmapped)+len(rep.Unknown)), attribute.Int(attrSynthesized, len(rep.Synthesized))))
}

// traceUpstream starts the client span of one upstream attempt and injects
// traceparent into req (tracing on). It returns nil for readiness probes,
// which are not traced: one trace every few seconds would be noise.
func (u *upstream) traceUpstream(req *http.Request, c call) trace.Span {
	if c.op == "probe" {
		return nil
	}
	span := u.tr.StartClient(req, c.method+" "+pathTemplate(c.path))
	if span.IsRecording() {
		span.SetAttributes(attribute.String(attrOperation, c.op))
		if c.attempt > 0 {
			span.SetAttributes(semconv.HTTPRequestResendCount(c.attempt))
		}
	}
	return span
}

// pathTemplate replaces the run id in an upstream path: /workflow_runs/{id}/cancel.
func pathTemplate(path string) string {
	const prefix = "/workflow_runs/"
	rest, ok := strings.CutPrefix(path, prefix)
	if !ok || rest == "batch" {
		return path
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		return prefix + "{id}" + rest[i:]
	}
	return prefix + "{id}"
}

// tracePassthrough gives passthrough calls client spans (otelhttp) and
// replaces the caller's traceparent with the proxy's span, so the upstream
// joins the same trace one hop down.
func (p *Proxy) tracePassthrough(rp *httputil.ReverseProxy) {
	if p.opt.Tracing == nil {
		return
	}
	rp.Transport = otelhttp.NewTransport(rp.Transport,
		otelhttp.WithTracerProvider(p.opt.Tracing.TracerProvider()),
		otelhttp.WithPropagators(p.opt.Tracing.Propagator()),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method }),
		otelhttp.WithSpanOptions(trace.WithAttributes(attribute.String(attrOperation, "passthrough"))))
}

// startRollback opens the span that groups a rollback's cancel and delete calls.
func (p *Proxy) startRollback(ctx context.Context, runs int) (context.Context, trace.Span) {
	if p.opt.Tracing == nil {
		return ctx, nil
	}
	return p.opt.Tracing.Start(ctx, "rollback", attribute.Int(attrRuns, runs))
}

func endRollback(span trace.Span, left int) {
	if span == nil {
		return
	}
	span.SetAttributes(attribute.Int(attrRunsLeft, left))
	if left > 0 {
		span.SetStatus(codes.Error, "runs left behind")
	}
	span.End()
}

// traceShadow runs a shadow job's comparison run and cleanup in spans that
// are children of the client request's span, though they start after it ended.
func (p *Proxy) traceShadow(r *http.Request, job *shadow.Job) {
	if p.opt.Tracing == nil {
		return
	}
	parent := trace.SpanContextFromContext(r.Context())
	tr, route, run := p.opt.Tracing, job.Route, job.Run
	job.Run = func(ctx context.Context) (int, []byte, error) {
		ctx, span := tr.Start(trace.ContextWithSpanContext(ctx, parent), "shadow "+route,
			attribute.String(attrRoute, route), attribute.String(attrMode, "shadow"))
		status, body, err := run(ctx)
		span.SetAttributes(semconv.HTTPResponseStatusCode(status))
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
		return status, body, err
	}
	if cleanup := job.Cleanup; cleanup != nil {
		job.Cleanup = func(ctx context.Context, out []byte) {
			ctx, span := tr.Start(trace.ContextWithSpanContext(ctx, parent), "shadow cleanup",
				attribute.String(attrRoute, route))
			defer span.End()
			cleanup(ctx, out)
		}
	}
}

func endUpstreamSpan(span trace.Span, resp *upstreamResponse, err error) {
	tracing.EndClientStatus(span, statusOf(resp), err)
}
