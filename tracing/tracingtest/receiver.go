// Package tracingtest is an in-process OTLP/HTTP trace receiver for tests:
// the real exporter sends protobuf to it over loopback, and tests look at
// the decoded spans.
package tracingtest

import (
	"compress/gzip"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	collectorpb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// Span is one received span with its resource's service name.
type Span struct {
	*tracepb.Span
	Service string
}

// TraceID is the span's trace id in hex, as in a traceparent.
func (s Span) TraceID() string { return hex.EncodeToString(s.Span.TraceId) }

// SpanID is the span's id in hex.
func (s Span) SpanID() string { return hex.EncodeToString(s.Span.SpanId) }

// ParentID is the parent span's id in hex; "" for a root span.
func (s Span) ParentID() string { return hex.EncodeToString(s.Span.ParentSpanId) }

// Attr returns the attribute key as a string ("" when absent); numbers and
// booleans are formatted.
func (s Span) Attr(key string) string {
	return attrString(s.Span.Attributes, key)
}

// HasAttr reports whether the span carries key.
func (s Span) HasAttr(key string) bool {
	for _, kv := range s.Span.Attributes {
		if kv.Key == key {
			return true
		}
	}
	return false
}

func attrString(kvs []*commonpb.KeyValue, key string) string {
	for _, kv := range kvs {
		if kv.Key != key {
			continue
		}
		switch v := kv.Value.Value.(type) {
		case *commonpb.AnyValue_StringValue:
			return v.StringValue
		case *commonpb.AnyValue_IntValue:
			return itoa(v.IntValue)
		case *commonpb.AnyValue_BoolValue:
			if v.BoolValue {
				return "true"
			}
			return "false"
		}
	}
	return ""
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Receiver is an httptest server that accepts OTLP/HTTP protobuf exports on /v1/traces.
type Receiver struct {
	srv     *httptest.Server
	mu      sync.Mutex
	spans   []Span
	headers []http.Header
}

// NewReceiver starts a receiver, closed when t ends.
func NewReceiver(t testing.TB) *Receiver {
	rc := &Receiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

// URL is the receiver's base URL, for tracing.endpoint or OTEL_EXPORTER_OTLP_ENDPOINT.
func (rc *Receiver) URL() string { return rc.srv.URL }

func (rc *Receiver) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/traces" {
		http.Error(w, "not an OTLP traces export", http.StatusNotFound)
		return
	}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = zr
	}
	raw, err := io.ReadAll(body)
	var req collectorpb.ExportTraceServiceRequest
	if err == nil {
		err = proto.Unmarshal(raw, &req)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	rc.headers = append(rc.headers, r.Header.Clone())
	for _, rs := range req.ResourceSpans {
		svc := attrString(rs.GetResource().GetAttributes(), "service.name")
		for _, ss := range rs.ScopeSpans {
			for _, sp := range ss.Spans {
				rc.spans = append(rc.spans, Span{Span: sp, Service: svc})
			}
		}
	}
	rc.mu.Unlock()
	out, _ := proto.Marshal(&collectorpb.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(out)
}

// Spans returns every span received so far.
func (rc *Receiver) Spans() []Span {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]Span(nil), rc.spans...)
}

// Trace returns the received spans of one trace (hex id).
func (rc *Receiver) Trace(traceID string) []Span {
	var out []Span
	for _, s := range rc.Spans() {
		if s.TraceID() == traceID {
			out = append(out, s)
		}
	}
	return out
}

// Headers returns the request headers of every export received.
func (rc *Receiver) Headers() []http.Header {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]http.Header(nil), rc.headers...)
}
