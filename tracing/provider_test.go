package tracing_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	collectorpb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/extend-compat-proxy/extend-compat-proxy/tracing"
	"github.com/extend-compat-proxy/extend-compat-proxy/tracing/tracingtest"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func setup(t *testing.T, c tracing.Config, env map[string]string) *tracing.Provider {
	t.Helper()
	tp, err := tracing.Setup(context.Background(), c, envOf(env), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return tp
}

// oneClientCall sends one traced request to a fresh upstream and returns
// the traceparent the upstream saw.
func oneClientCall(t *testing.T, tp *tracing.Provider) string {
	t.Helper()
	seen := make(chan string, 1)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Get("Traceparent")
	}))
	defer up.Close()
	req, _ := http.NewRequest(http.MethodPost, up.URL+"/hook?token=secret", nil)
	span := tp.StartClient(req, "webhook deliver", attribute.Int("webhook.attempt", 1))
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	tracing.EndClient(span, resp, err)
	return <-seen
}

// Setup honours the standard variables: endpoint, service name, headers
// (file env:NAME and OTEL_EXPORTER_OTLP_HEADERS), and the shutdown flushes.
func TestSetupExportsOverHTTPWithStandardVariables(t *testing.T) {
	rc := tracingtest.NewReceiver(t)
	c := tracing.DefaultConfig()
	c.Headers = map[string]string{"X-Collector-Key": "env:KEY"}
	tp := setup(t, c, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": rc.URL(), "OTEL_SERVICE_NAME": "gateway-eu",
		"KEY": "k-123", "OTEL_EXPORTER_OTLP_HEADERS": "X-Tenant=ops%20team"})
	traceparent := oneClientCall(t, tp)
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	spans := rc.Spans()
	if len(spans) != 1 {
		t.Fatalf("%d spans after shutdown, want the one client span", len(spans))
	}
	s := spans[0]
	if s.Service != "gateway-eu" || s.Name != "webhook deliver" || s.Attr("webhook.attempt") != "1" ||
		s.Attr("http.response.status_code") != "200" || strings.Contains(s.Attr("url.full"), "secret") {
		t.Fatalf("span %q service %q attrs %v", s.Name, s.Service, s.Attributes)
	}
	if want := "00-" + s.TraceID() + "-" + s.SpanID() + "-01"; traceparent != want {
		t.Fatalf("upstream saw traceparent %q, want %q", traceparent, want)
	}
	h := rc.Headers()[0]
	if h.Get("X-Collector-Key") != "k-123" || h.Get("X-Tenant") != "ops team" {
		t.Fatalf("collector saw headers %v", h)
	}
}

func TestSamplerAlwaysOffExportsNothingButStillPropagates(t *testing.T) {
	rc := tracingtest.NewReceiver(t)
	tp := setup(t, tracing.DefaultConfig(), map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": rc.URL() + "/v1/traces",
		"OTEL_TRACES_SAMPLER": "always_off"})
	traceparent := oneClientCall(t, tp)
	_ = tp.Shutdown(context.Background())
	if n := len(rc.Spans()); n != 0 {
		t.Fatalf("%d spans exported with always_off", n)
	}
	if !strings.HasSuffix(traceparent, "-00") {
		t.Fatalf("traceparent %q should be propagated unsampled", traceparent)
	}
}

// grpcCollector is an in-process OTLP/gRPC trace service.
type grpcCollector struct {
	collectorpb.UnimplementedTraceServiceServer
	mu    sync.Mutex
	spans int
	key   []string
}

func (g *grpcCollector) Export(ctx context.Context, req *collectorpb.ExportTraceServiceRequest) (*collectorpb.ExportTraceServiceResponse, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.key = md.Get("x-collector-key")
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			g.spans += len(ss.Spans)
		}
	}
	return &collectorpb.ExportTraceServiceResponse{}, nil
}

func TestSetupExportsOverGRPC(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	col := &grpcCollector{}
	srv := grpc.NewServer()
	collectorpb.RegisterTraceServiceServer(srv, col)
	go func() { _ = srv.Serve(ln) }()
	defer srv.Stop()
	c := tracing.Config{Endpoint: "http://" + ln.Addr().String(), Protocol: tracing.ProtocolGRPC, SampleRatio: 1,
		Headers: map[string]string{"x-collector-key": "env:KEY"}}
	tp := setup(t, c, map[string]string{"KEY": "g-1"})
	oneClientCall(t, tp)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tp.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	col.mu.Lock()
	defer col.mu.Unlock()
	if col.spans != 1 || len(col.key) != 1 || col.key[0] != "g-1" {
		t.Fatalf("grpc collector got %d spans, key %v", col.spans, col.key)
	}
}

// Off is a nil Provider: everything is a no-op and nothing is injected.
func TestOffIsANilProviderThatDoesNothing(t *testing.T) {
	tp, err := tracing.Setup(context.Background(), tracing.DefaultConfig(), envOf(nil), nil)
	if err != nil || tp != nil || tp.Enabled() {
		t.Fatalf("tracing on without an endpoint: %v %v", tp, err)
	}
	if tp := oneClientCall(t, tp); tp != "" {
		t.Fatalf("traceparent %q injected with tracing off", tp)
	}
	if err := tp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err = tracing.Setup(context.Background(), tracing.Config{Endpoint: "http://c:4318", Protocol: "grpc", SampleRatio: 1},
		envOf(map[string]string{"OTEL_TRACES_SAMPLER": "nope"}), nil)
	if err == nil || !strings.Contains(err.Error(), "OTEL_TRACES_SAMPLER") {
		t.Fatalf("bad sampler accepted: %v", err)
	}
}
