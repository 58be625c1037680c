package tracing

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Start begins an internal span (a step inside the proxy, such as a
// rollback) as a child of the span in ctx. Off: ctx and a no-op span.
func (p *Provider) Start(ctx context.Context, name string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	if p == nil {
		return ctx, noop.Span{}
	}
	return p.tracer.Start(ctx, name, trace.WithAttributes(attrs...))
}

// StartServer continues the caller's trace (traceparent/tracestate in r's
// headers; a new trace without them) and starts the server span of r, named
// "{method} {route}" by the HTTP semantic conventions. route is the route
// template ("/workflow_runs/{id}"), never the raw path; "" when unknown, which
// names the span by the method alone. Off: r and a no-op span.
func (p *Provider) StartServer(r *http.Request, route string, attrs ...attribute.KeyValue) (*http.Request, trace.Span) {
	if p == nil {
		return r, noop.Span{}
	}
	ctx := p.prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
	method, name := methodAttrs(r.Method, route)
	ctx, span := p.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer))
	if !span.IsRecording() {
		// Not sampled: the attributes would be dropped, so they are not built.
		// (The ratio and parent samplers do not look at attributes.)
		return r.WithContext(ctx), span
	}
	attrs = append(attrs, method...)
	attrs = append(attrs, semconv.URLPath(r.URL.EscapedPath()), semconv.URLScheme(scheme(r)),
		semconv.NetworkProtocolVersion(protoVersion(r)))
	if route != "" {
		attrs = append(attrs, semconv.HTTPRoute(route))
	}
	attrs = appendHostPort(attrs, r.Host)
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		attrs = append(attrs, semconv.ClientAddress(host))
	}
	if ua := r.UserAgent(); ua != "" {
		attrs = append(attrs, semconv.UserAgentOriginal(ua))
	}
	span.SetAttributes(attrs...)
	return r.WithContext(ctx), span
}

// EndServer records the answer's status (5xx marks the span as an error with
// msg as its description; 4xx does not, by the conventions) and ends span.
func EndServer(span trace.Span, status int, msg string) {
	if !span.IsRecording() {
		span.End()
		return
	}
	span.SetAttributes(semconv.HTTPResponseStatusCode(status))
	if status >= 500 {
		span.SetAttributes(semconv.ErrorTypeKey.String(strconv.Itoa(status)))
		span.SetStatus(codes.Error, msg)
	}
	span.End()
}

// StartClient starts a client span for the outbound request req, named name
// (low cardinality: "POST /workflow_runs/{id}/cancel", "webhook deliver"), as
// a child of the span in req's context, and writes traceparent/tracestate into
// req.Header so the receiver joins the trace. The query string is never
// recorded. End the span with EndClient. Off: a no-op span, req untouched.
//
// Any outbound call can use it, for example a webhook delivery:
//
//	span := prov.StartClient(req, "webhook deliver", attribute.Int("webhook.attempt", n))
//	resp, err := client.Do(req)
//	tracing.EndClient(span, resp, err)
func (p *Provider) StartClient(req *http.Request, name string, attrs ...attribute.KeyValue) trace.Span {
	if p == nil {
		return noop.Span{}
	}
	ctx, span := p.tracer.Start(req.Context(), name, trace.WithSpanKind(trace.SpanKindClient))
	// Unsampled calls still carry the trace (flag 00), so the receiver can
	// correlate and makes the same sampling decision.
	p.prop.Inject(ctx, propagation.HeaderCarrier(req.Header))
	if !span.IsRecording() {
		return span
	}
	method, _ := methodAttrs(req.Method, "")
	attrs = append(attrs, method...)
	u := *req.URL
	u.RawQuery, u.ForceQuery, u.Fragment, u.User = "", false, "", nil
	attrs = append(attrs, semconv.URLFull(u.String()))
	span.SetAttributes(appendHostPort(attrs, req.URL.Host)...)
	return span
}

// EndClient records the outcome of a client call and ends span: the status
// code (4xx and 5xx mark an error), or err when no answer came.
func EndClient(span trace.Span, resp *http.Response, err error) {
	if resp != nil {
		EndClientStatus(span, resp.StatusCode, err)
		return
	}
	EndClientStatus(span, 0, err)
}

// EndClientStatus is EndClient for callers that keep only the status code;
// status 0 means no answer arrived and err says why.
func EndClientStatus(span trace.Span, status int, err error) {
	if !span.IsRecording() {
		span.End()
		return
	}
	switch {
	case status > 0:
		span.SetAttributes(semconv.HTTPResponseStatusCode(status))
		if status >= 400 {
			span.SetAttributes(semconv.ErrorTypeKey.String(strconv.Itoa(status)))
			span.SetStatus(codes.Error, "")
		}
	case err != nil:
		span.SetAttributes(semconv.ErrorTypeKey.String(errorType(err)))
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

func errorType(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return "_OTHER"
}

// knownMethods are the methods the conventions name; others become _OTHER so
// a client cannot grow the attribute's cardinality.
var knownMethods = map[string]bool{
	"GET": true, "HEAD": true, "POST": true, "PUT": true, "DELETE": true,
	"CONNECT": true, "OPTIONS": true, "TRACE": true, "PATCH": true,
}

func methodAttrs(m, route string) ([]attribute.KeyValue, string) {
	if !knownMethods[m] {
		return []attribute.KeyValue{semconv.HTTPRequestMethodKey.String("_OTHER"), semconv.HTTPRequestMethodOriginal(m)}, "HTTP"
	}
	if route == "" {
		return []attribute.KeyValue{semconv.HTTPRequestMethodKey.String(m)}, m
	}
	return []attribute.KeyValue{semconv.HTTPRequestMethodKey.String(m)}, m + " " + route
}

func appendHostPort(attrs []attribute.KeyValue, hostport string) []attribute.KeyValue {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		if hostport == "" {
			return attrs
		}
		return append(attrs, semconv.ServerAddress(hostport))
	}
	attrs = append(attrs, semconv.ServerAddress(host))
	if n, err := strconv.Atoi(port); err == nil {
		attrs = append(attrs, semconv.ServerPort(n))
	}
	return attrs
}

func scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

func protoVersion(r *http.Request) string {
	if r.ProtoMajor == 2 {
		return "2"
	}
	return strconv.Itoa(r.ProtoMajor) + "." + strconv.Itoa(r.ProtoMinor)
}
