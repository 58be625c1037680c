package proxy

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/extend-compat-proxy/extend-compat-proxy/tracing"
)

// memUpstream answers every call in memory, so the benchmark measures the
// proxy (routing, translation, tracing) and not the loopback network.
type memUpstream struct{ body []byte }

func (c memUpstream) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(c.body)), ContentLength: int64(len(c.body)), Request: r}, nil
}

// discardExporter drops spans after the SDK built and batched them.
type discardExporter struct{}

func (discardExporter) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discardExporter) Shutdown(context.Context) error                             { return nil }

// BenchmarkTranslatedRead serves a legacy GET /workflow_runs/{id} end to end
// (router, upstream call, translation, access-log check) three ways in one
// run: tracing off (the default), on with every trace recorded, and on with
// sampling at 0. Compare off with on: off must cost nothing.
func BenchmarkTranslatedRead(b *testing.B) {
	for _, bc := range []struct {
		name    string
		sampler sdktrace.Sampler // nil: tracing off
	}{
		{"tracing=off", nil},
		{"tracing=on", sdktrace.AlwaysSample()},
		{"tracing=on_unsampled", sdktrace.NeverSample()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var tp *tracing.Provider
			if bc.sampler != nil {
				tp = tracing.NewProvider(discardExporter{}, bc.sampler, nil)
				defer func() { _ = tp.Shutdown(context.Background()) }()
			}
			u, _ := url.Parse("http://upstream.invalid")
			p, err := New(Options{Upstream: u, Transport: memUpstream{body: []byte(newRunJSON("workflow_run_1", "a.pdf"))},
				Tracing: tp})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/workflow_runs/workflow_run_1", nil)
				req.Header.Set("X-Extend-Api-Version", "2025-04-21")
				req.Header.Set("Authorization", "Bearer sk_bench")
				rec := httptest.NewRecorder()
				p.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
