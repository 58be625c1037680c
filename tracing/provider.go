package tracing

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/zap"
)

// InstrumentationName names the tracer (the instrumentation scope in every span).
const InstrumentationName = "github.com/extend-compat-proxy/extend-compat-proxy"

// Provider records spans and exports them. A nil *Provider is tracing off:
// every method is a no-op and Enabled reports false, so callers test
// Enabled once and skip all tracing work when it is off.
type Provider struct {
	tp     *sdktrace.TracerProvider
	tracer trace.Tracer
	prop   propagation.TextMapPropagator
}

// Setup resolves c with the OTEL_* environment (read through getenv) and
// starts the OTLP exporter. It returns nil, nil when tracing is off. Export
// failures (collector down) are logged through log at warn level; they never
// affect requests.
func Setup(ctx context.Context, c Config, getenv func(string) string, log *zap.Logger) (*Provider, error) {
	s, problems := Resolve(c, getenv)
	if len(problems) > 0 {
		return nil, fmt.Errorf("tracing:\n  - %s", strings.Join(problems, "\n  - "))
	}
	if !s.Enabled {
		return nil, nil
	}
	exp, err := newExporter(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("tracing: exporter: %w", err)
	}
	if log != nil {
		otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
			log.Warn("tracing: export failed", zap.Error(err))
		}))
		log.Info("tracing on", zap.String("protocol", s.Protocol), zap.String("endpoint", s.URL),
			zap.String("service", s.ServiceName), zap.String("sampler", s.Sampler.Description()))
	}
	res, err := resource.Merge(resource.Default(),
		resource.NewWithAttributes(semconv.SchemaURL, append(s.Resource, semconv.ServiceName(s.ServiceName))...))
	if err != nil {
		return nil, fmt.Errorf("tracing: resource: %w", err)
	}
	return NewProvider(exp, s.Sampler, res), nil
}

func newExporter(ctx context.Context, s Settings) (sdktrace.SpanExporter, error) {
	if s.Protocol == ProtocolGRPC {
		return otlptracegrpc.New(ctx, otlptracegrpc.WithEndpointURL(s.URL), otlptracegrpc.WithHeaders(s.Headers))
	}
	return otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(s.URL), otlptracehttp.WithHeaders(s.Headers))
}

// NewProvider builds a Provider that batches spans to exp; sampler nil means
// parent-based always-on, res nil the default resource.
func NewProvider(exp sdktrace.SpanExporter, sampler sdktrace.Sampler, res *resource.Resource) *Provider {
	if sampler == nil {
		sampler = sdktrace.ParentBased(sdktrace.AlwaysSample())
	}
	opts := []sdktrace.TracerProviderOption{sdktrace.WithBatcher(exp), sdktrace.WithSampler(sampler)}
	if res != nil {
		opts = append(opts, sdktrace.WithResource(res))
	}
	tp := sdktrace.NewTracerProvider(opts...)
	return &Provider{
		tp:     tp,
		tracer: tp.Tracer(InstrumentationName),
		// Only W3C trace context: baggage could carry a caller's data to the vendor.
		prop: propagation.TraceContext{},
	}
}

// Enabled reports whether spans are recorded; false for a nil Provider.
func (p *Provider) Enabled() bool { return p != nil }

// TracerProvider is the SDK provider, for instrumentation such as otelhttp;
// nil when off.
func (p *Provider) TracerProvider() trace.TracerProvider {
	if p == nil {
		return nil
	}
	return p.tp
}

// Propagator is the W3C trace-context propagator used for every hop.
func (p *Provider) Propagator() propagation.TextMapPropagator {
	if p == nil {
		return propagation.TraceContext{}
	}
	return p.prop
}

// ForceFlush exports every finished span now.
func (p *Provider) ForceFlush(ctx context.Context) error {
	if p == nil {
		return nil
	}
	return p.tp.ForceFlush(ctx)
}

// Shutdown flushes the spans still queued and stops the exporter; call it
// once, after the servers drained, within the shutdown deadline.
func (p *Provider) Shutdown(ctx context.Context) error {
	if p == nil {
		return nil
	}
	if err := p.tp.Shutdown(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("tracing: flush on shutdown: %w", err)
	}
	return nil
}
