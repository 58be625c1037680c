package tracing

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// DefaultServiceName is service.name when neither OTEL_SERVICE_NAME nor
// OTEL_RESOURCE_ATTRIBUTES names the service.
const DefaultServiceName = "extend-compat-proxy"

// Settings are the effective tracing settings after the environment is applied.
type Settings struct {
	// Enabled is false when no endpoint is configured, OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none.
	Enabled bool
	// Protocol is ProtocolHTTP or ProtocolGRPC.
	Protocol string
	// URL is the full export URL (http/protobuf) or the collector address (grpc).
	URL string
	// Headers go to the collector with every export; never logged.
	Headers map[string]string
	// Sampler decides which new traces are recorded.
	Sampler sdktrace.Sampler
	// ServiceName is the resource's service.name.
	ServiceName string
	// Resource holds the OTEL_RESOURCE_ATTRIBUTES pairs.
	Resource []attribute.KeyValue
}

// Resolve applies the standard OTEL_* variables (read through getenv) over
// the file section c and returns every problem found. The environment wins
// over the file, as EXTEND_COMPAT_* variables do:
//
//	OTEL_SDK_DISABLED=true, OTEL_TRACES_EXPORTER=none   tracing off
//	OTEL_EXPORTER_OTLP_TRACES_ENDPOINT                  full URL, used as is
//	OTEL_EXPORTER_OTLP_ENDPOINT                         base URL (/v1/traces appended for http/protobuf)
//	OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL                http/protobuf or grpc
//	OTEL_EXPORTER_OTLP_(TRACES_)HEADERS                 k=v,k2=v2 (percent-encoded), added to tracing.headers
//	OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG        replace tracing.sampleRatio
//	OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES         the resource
//
// Variables the SDK and exporters read themselves (OTEL_BSP_*,
// OTEL_EXPORTER_OTLP_TIMEOUT, _COMPRESSION, _CERTIFICATE …) work as documented by OpenTelemetry.
func Resolve(c Config, getenv func(string) string) (Settings, []string) {
	var p []string
	add := func(f string, a ...any) { p = append(p, fmt.Sprintf(f, a...)) }
	s := Settings{Protocol: c.Protocol}
	if strings.EqualFold(getenv("OTEL_SDK_DISABLED"), "true") {
		return s, nil
	}
	switch exp := getenv("OTEL_TRACES_EXPORTER"); exp {
	case "", "otlp":
	case "none":
		return s, nil
	default:
		add("OTEL_TRACES_EXPORTER: %q is not supported (otlp or none)", exp)
	}
	if v := firstEnv(getenv, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"); v != "" {
		s.Protocol = v
	}
	if s.Protocol != ProtocolHTTP && s.Protocol != ProtocolGRPC {
		add("OTEL_EXPORTER_OTLP_PROTOCOL: %q is not supported (%s or %s)", s.Protocol, ProtocolHTTP, ProtocolGRPC)
	}
	s.URL, s.Enabled = exportURL(c, s.Protocol, getenv, add)
	if !s.Enabled {
		return s, p
	}
	s.Headers = exportHeaders(c, getenv, add)
	s.Sampler = sampler(c, getenv, add)
	s.Resource = resourceAttrs(getenv("OTEL_RESOURCE_ATTRIBUTES"), add)
	s.ServiceName = DefaultServiceName
	for _, kv := range s.Resource {
		if kv.Key == "service.name" {
			s.ServiceName = kv.Value.AsString()
		}
	}
	if v := getenv("OTEL_SERVICE_NAME"); v != "" {
		s.ServiceName = v
	}
	return s, p
}

func firstEnv(getenv func(string) string, names ...string) string {
	for _, n := range names {
		if v := strings.TrimSpace(getenv(n)); v != "" {
			return v
		}
	}
	return ""
}

// exportURL picks the endpoint: the signal-specific variable as is, else the
// base from OTEL_EXPORTER_OTLP_ENDPOINT or the file with the traces path
// appended for http/protobuf. ok is false when none is configured.
func exportURL(c Config, protocol string, getenv func(string) string, add func(string, ...any)) (string, bool) {
	if v := firstEnv(getenv, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"); v != "" {
		if err := checkEndpoint(v); err != nil {
			add("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: %v", err)
		}
		return v, true
	}
	base, from := c.Endpoint, "tracing.endpoint"
	if v := firstEnv(getenv, "OTEL_EXPORTER_OTLP_ENDPOINT"); v != "" {
		base, from = v, "OTEL_EXPORTER_OTLP_ENDPOINT"
	}
	if base == "" {
		return "", false
	}
	if err := checkEndpoint(base); err != nil {
		add("%s: %v", from, err)
		return base, true
	}
	if protocol != ProtocolHTTP {
		return base, true
	}
	u, _ := url.Parse(base)
	u.Path = strings.TrimSuffix(u.Path, "/") + "/v1/traces"
	return u.String(), true
}

// exportHeaders resolves the file's env:NAME headers, then adds the OTEL_* header lists.
func exportHeaders(c Config, getenv func(string) string, add func(string, ...any)) map[string]string {
	h := map[string]string{}
	for _, k := range sortedKeys(c.Headers) {
		name, ok := envRef(c.Headers[k])
		if !ok {
			continue // reported by Validate
		}
		v := getenv(name)
		if v == "" {
			add("tracing.headers.%s: environment variable %s is not set", k, name)
			continue
		}
		h[k] = v
	}
	for _, env := range []string{"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"} {
		for k, v := range parsePairs(env, getenv(env), add) {
			h[k] = v
		}
	}
	return h
}

// parsePairs parses the OTLP header and resource attribute format: key=value
// pairs separated by commas, values percent-encoded.
func parsePairs(env, v string, add func(string, ...any)) map[string]string {
	out := map[string]string{}
	if strings.TrimSpace(v) == "" {
		return out
	}
	for i, pair := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(pair, "=")
		k = strings.TrimSpace(k)
		dec, err := url.PathUnescape(strings.TrimSpace(val))
		if !ok || k == "" || err != nil {
			// The pair may hold a secret: name the position, never the text.
			add("%s: entry %d is not key=value with a percent-encoded value", env, i+1)
			continue
		}
		out[k] = dec
	}
	return out
}

func resourceAttrs(v string, add func(string, ...any)) []attribute.KeyValue {
	m := parsePairs("OTEL_RESOURCE_ATTRIBUTES", v, add)
	out := make([]attribute.KeyValue, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, attribute.String(k, m[k]))
	}
	return out
}

// sampler honours OTEL_TRACES_SAMPLER(+_ARG); otherwise new traces are
// sampled at tracing.sampleRatio and continued traces follow their parent.
func sampler(c Config, getenv func(string) string, add func(string, ...any)) sdktrace.Sampler {
	name := strings.TrimSpace(getenv("OTEL_TRACES_SAMPLER"))
	if name == "" {
		return sdktrace.ParentBased(sdktrace.TraceIDRatioBased(c.SampleRatio))
	}
	ratio := 1.0
	if arg := strings.TrimSpace(getenv("OTEL_TRACES_SAMPLER_ARG")); arg != "" && strings.HasSuffix(name, "traceidratio") {
		r, err := strconv.ParseFloat(arg, 64)
		if err != nil || !(r >= 0 && r <= 1) {
			add("OTEL_TRACES_SAMPLER_ARG: %q must be a ratio between 0 and 1", arg)
		} else {
			ratio = r
		}
	}
	switch name {
	case "always_on":
		return sdktrace.AlwaysSample()
	case "always_off":
		return sdktrace.NeverSample()
	case "traceidratio":
		return sdktrace.TraceIDRatioBased(ratio)
	case "parentbased_always_on":
		return sdktrace.ParentBased(sdktrace.AlwaysSample())
	case "parentbased_always_off":
		return sdktrace.ParentBased(sdktrace.NeverSample())
	case "parentbased_traceidratio":
		return sdktrace.ParentBased(sdktrace.TraceIDRatioBased(ratio))
	}
	add("OTEL_TRACES_SAMPLER: %q is not supported (always_on, always_off, traceidratio, parentbased_always_on, "+
		"parentbased_always_off, parentbased_traceidratio)", name)
	return sdktrace.ParentBased(sdktrace.TraceIDRatioBased(c.SampleRatio))
}
