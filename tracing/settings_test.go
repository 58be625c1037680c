package tracing

import (
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestValidateNamesEveryProblem(t *testing.T) {
	c := Config{Endpoint: "collector:4318", Protocol: "http/json", SampleRatio: 1.5,
		Headers: map[string]string{"x-key": "literal-secret", "bad header": "env:X"}}
	got := strings.Join(c.Validate(), "\n")
	for _, want := range []string{"tracing.endpoint", "tracing.protocol", "tracing.sampleRatio",
		"tracing.headers.x-key", `"bad header" is not a valid header name`} {
		if !strings.Contains(got, want) {
			t.Errorf("no problem naming %s in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "literal-secret") {
		t.Error("a header value was echoed in a problem")
	}
	if p := DefaultConfig().Validate(); len(p) != 0 {
		t.Fatalf("defaults invalid: %v", p)
	}
	ok := Config{Endpoint: "https://otel.example:4318/base", Protocol: ProtocolGRPC, SampleRatio: 0,
		Headers: map[string]string{"Authorization": "env:OTEL_TOKEN"}}
	if p := ok.Validate(); len(p) != 0 {
		t.Fatalf("valid section refused: %v", p)
	}
}

func TestResolvePrecedenceAndEndpoints(t *testing.T) {
	file := Config{Endpoint: "http://file:4318", Protocol: ProtocolHTTP, SampleRatio: 0.25,
		Headers: map[string]string{"x-key": "env:COLLECTOR_KEY"}}
	for _, tc := range []struct {
		name    string
		cfg     Config
		env     map[string]string
		url     string
		enabled bool
	}{
		{"off by default", DefaultConfig(), nil, "", false},
		{"file endpoint gets the traces path", file, map[string]string{"COLLECTOR_KEY": "k"}, "http://file:4318/v1/traces", true},
		{"base variable wins over the file", file, map[string]string{"COLLECTOR_KEY": "k",
			"OTEL_EXPORTER_OTLP_ENDPOINT": "https://env:4318/prefix/"}, "https://env:4318/prefix/v1/traces", true},
		{"signal variable is used as is", file, map[string]string{"COLLECTOR_KEY": "k",
			"OTEL_EXPORTER_OTLP_ENDPOINT": "http://base:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://sig:9/custom"}, "http://sig:9/custom", true},
		{"grpc keeps the address", DefaultConfig(), map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317",
			"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, "http://c:4317", true},
		{"environment alone turns it on", DefaultConfig(), map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"}, "http://c:4318/v1/traces", true},
		{"sdk disabled", file, map[string]string{"OTEL_SDK_DISABLED": "true"}, "", false},
		{"exporter none", file, map[string]string{"OTEL_TRACES_EXPORTER": "none"}, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, p := Resolve(tc.cfg, envOf(tc.env))
			if len(p) != 0 {
				t.Fatalf("problems: %v", p)
			}
			if s.Enabled != tc.enabled || (tc.enabled && s.URL != tc.url) {
				t.Fatalf("enabled=%v url=%q, want %v %q", s.Enabled, s.URL, tc.enabled, tc.url)
			}
		})
	}
}

func TestResolveHeadersSamplerAndService(t *testing.T) {
	file := Config{Endpoint: "http://c:4318", Protocol: ProtocolHTTP, SampleRatio: 0.25,
		Headers: map[string]string{"x-key": "env:COLLECTOR_KEY", "x-team": "env:TEAM"}}
	s, p := Resolve(file, envOf(map[string]string{"COLLECTOR_KEY": "secret", "TEAM": "file-team",
		"OTEL_EXPORTER_OTLP_HEADERS":        "x-team=env%20team,x-general=1",
		"OTEL_EXPORTER_OTLP_TRACES_HEADERS": "x-general=2",
		"OTEL_RESOURCE_ATTRIBUTES":          "service.name=from-attrs,deployment.environment=prod",
	}))
	if len(p) != 0 {
		t.Fatal(p)
	}
	want := map[string]string{"x-key": "secret", "x-team": "env team", "x-general": "2"}
	for k, v := range want {
		if s.Headers[k] != v {
			t.Errorf("header %s = %q, want %q (all %v)", k, s.Headers[k], v, s.Headers)
		}
	}
	if s.ServiceName != "from-attrs" || len(s.Resource) != 2 {
		t.Errorf("service %q resource %v", s.ServiceName, s.Resource)
	}
	if d := s.Sampler.Description(); !strings.Contains(d, "TraceIDRatioBased{0.25}") || !strings.HasPrefix(d, "ParentBased") {
		t.Errorf("sampler %s, want parent-based ratio 0.25 from the file", d)
	}
	s, _ = Resolve(file, envOf(map[string]string{"COLLECTOR_KEY": "k", "TEAM": "t", "OTEL_SERVICE_NAME": "svc",
		"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.5"}))
	if s.ServiceName != "svc" || s.Sampler.Description() != "TraceIDRatioBased{0.5}" {
		t.Errorf("service %q sampler %s, want svc and TraceIDRatioBased{0.5}", s.ServiceName, s.Sampler.Description())
	}
}

func TestResolveReportsEnvironmentProblems(t *testing.T) {
	file := Config{Endpoint: "http://c:4318", Protocol: ProtocolHTTP, SampleRatio: 1,
		Headers: map[string]string{"x-key": "env:MISSING_KEY"}}
	_, p := Resolve(file, envOf(map[string]string{
		"OTEL_TRACES_SAMPLER": "jaeger_remote", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
		"OTEL_EXPORTER_OTLP_HEADERS": "novalue-secret", "OTEL_TRACES_EXPORTER": "zipkin",
	}))
	got := strings.Join(p, "\n")
	if strings.Contains(got, "novalue-secret") {
		t.Errorf("a header entry was echoed: %s", got)
	}
	for _, want := range []string{"MISSING_KEY is not set", "OTEL_TRACES_SAMPLER", "OTEL_EXPORTER_OTLP_PROTOCOL",
		"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_TRACES_EXPORTER"} {
		if !strings.Contains(got, want) {
			t.Errorf("no problem naming %s in:\n%s", want, got)
		}
	}
	_, p = Resolve(file, envOf(map[string]string{"MISSING_KEY": "k", "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
		"OTEL_TRACES_SAMPLER_ARG": "2"}))
	if len(p) != 1 || !strings.Contains(p[0], "OTEL_TRACES_SAMPLER_ARG") {
		t.Errorf("ratio 2 accepted: %v", p)
	}
}
