// Package tracing sets up OpenTelemetry distributed tracing for the proxy:
// an OTLP exporter (http/protobuf or grpc) configured from config.yaml's
// `tracing:` section and the standard OTEL_* environment variables, W3C
// traceparent/tracestate propagation, and small helpers that start server and
// client spans with the HTTP semantic conventions. When no collector endpoint
// is configured tracing is off: Setup returns a nil *Provider, every method of
// which is a no-op, so callers skip all tracing work on the hot path.
package tracing

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Protocols the exporter speaks (OTEL_EXPORTER_OTLP_PROTOCOL values).
const (
	ProtocolHTTP = "http/protobuf"
	ProtocolGRPC = "grpc"
)

// Config is the `tracing:` section of config.yaml. Every field can be
// overridden by the standard OTEL_* environment variables (see Resolve).
type Config struct {
	// Endpoint is the collector's base URL, like OTEL_EXPORTER_OTLP_ENDPOINT:
	// http(s)://host:4318 for http/protobuf ("/v1/traces" is appended to its path),
	// http(s)://host:4317 for grpc. "" (the default) leaves tracing off unless an
	// OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT variable is set.
	Endpoint string `yaml:"endpoint"`
	// Protocol is http/protobuf (default) or grpc.
	Protocol string `yaml:"protocol"`
	// SampleRatio is the share of new traces recorded (0-1, default 1). Requests
	// that arrive with a traceparent follow the caller's sampling decision.
	SampleRatio float64 `yaml:"sampleRatio"`
	// Headers are sent to the collector with every export (e.g. an API key).
	// Values must be "env:NAME": the value is read from environment variable
	// NAME at start-up, so secrets never sit in the file.
	Headers map[string]string `yaml:"headers"`
}

// DefaultConfig is tracing off, http/protobuf, every trace sampled once on.
func DefaultConfig() Config {
	return Config{Protocol: ProtocolHTTP, SampleRatio: 1, Headers: map[string]string{}}
}

// Validate returns every problem of the file section, each prefixed with its yaml path.
func (c Config) Validate() []string {
	var p []string
	add := func(f string, a ...any) { p = append(p, fmt.Sprintf(f, a...)) }
	if c.Endpoint != "" {
		if err := checkEndpoint(c.Endpoint); err != nil {
			add("tracing.endpoint: %v", err)
		}
	}
	if c.Protocol != ProtocolHTTP && c.Protocol != ProtocolGRPC {
		add("tracing.protocol: %q must be %s or %s", c.Protocol, ProtocolHTTP, ProtocolGRPC)
	}
	if !(c.SampleRatio >= 0 && c.SampleRatio <= 1) {
		add("tracing.sampleRatio: %v must be between 0 and 1", c.SampleRatio)
	}
	for _, k := range sortedKeys(c.Headers) {
		if !validHeaderName(k) {
			add("tracing.headers: %q is not a valid header name", k)
		}
		if _, ok := envRef(c.Headers[k]); !ok {
			// Literal values would put collector credentials into the file.
			add("tracing.headers.%s: must be \"env:NAME\" naming an environment variable", k)
		}
	}
	return p
}

// checkEndpoint accepts an absolute http(s) URL without query or fragment.
func checkEndpoint(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q must be an http(s) URL such as http://otel-collector:4318", v)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%q must not carry credentials, a query or a fragment", v)
	}
	return nil
}

// envRef parses "env:NAME".
func envRef(v string) (string, bool) {
	name, ok := strings.CutPrefix(v, "env:")
	if !ok || name == "" {
		return "", false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return "", false
		}
	}
	return name, true
}

// validHeaderName reports whether k is an HTTP token (RFC 9110 §5.6.2).
func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
