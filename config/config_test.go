package config

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// The shipped config.yaml must parse, validate, and state exactly the defaults.
func TestShippedConfigIsTheDefaults(t *testing.T) {
	cfg, err := Load("../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.Translate.ProcessorAliases = map[string]string{}
	want.Shadow.Ignore = []string{}
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("config.yaml differs from Default():\n got %+v\nwant %+v", cfg, want)
	}
}

// Every yaml key of Config must appear in config.yaml at its own path (not
// just as a substring somewhere) with a comment explaining it, so the sample
// cannot go stale. Keys of list elements (rollout.rules) are documented by a
// commented example line naming the key.
func TestShippedConfigDocumentsEveryKey(t *testing.T) {
	raw, err := os.ReadFile("../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	keys := map[string][2]*yaml.Node{}
	collectKeys(doc.Content[0], "", keys)
	unmarshaler := reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()
	var walk func(ty reflect.Type, prefix string, inList bool)
	walk = func(ty reflect.Type, prefix string, inList bool) {
		for i := 0; i < ty.NumField(); i++ {
			f := ty.Field(i)
			path := prefix + strings.Split(f.Tag.Get("yaml"), ",")[0]
			ft := f.Type
			list := ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct
			if list {
				ft = ft.Elem()
			}
			nested := ft.Kind() == reflect.Struct && !reflect.PointerTo(ft).Implements(unmarshaler)
			switch kv, ok := keys[path]; {
			case inList:
				example := regexp.MustCompile(`(?m)^\s*#\s*(-\s+)?` + regexp.QuoteMeta(f.Tag.Get("yaml")) + `:`)
				if !example.Match(raw) {
					t.Errorf("config.yaml has no commented example of %q", path)
				}
			case !ok:
				t.Errorf("config.yaml does not have the key %q", path)
			case !nested && kv[0].HeadComment+kv[0].LineComment+kv[1].LineComment+kv[1].HeadComment == "":
				t.Errorf("config.yaml has %q without a comment", path)
			}
			if nested {
				walk(ft, path+".", inList || list)
			}
		}
	}
	walk(reflect.TypeOf(Config{}), "", false)
}

// collectKeys records every mapping key of n by its dotted path, with its key and value nodes.
func collectKeys(n *yaml.Node, prefix string, out map[string][2]*yaml.Node) {
	if n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		out[prefix+k.Value] = [2]*yaml.Node{k, v}
		collectKeys(v, prefix+k.Value+".", out)
	}
}

func TestUnknownKeysAreNamedTogether(t *testing.T) {
	cfg := Default()
	err := Parse([]byte("listen: ':1'\nlistne: x\ntimeouts:\n  raed: 1s\n"), &cfg)
	if err == nil {
		t.Fatal("unknown keys accepted")
	}
	for _, want := range []string{"listne", "raed"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %q: %v", want, err)
		}
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	cfg := Default()
	cfg.Listen = "nope"
	cfg.Upstream = "ftp://x"
	cfg.FanOutConcurrency = 0
	cfg.Log.Format = "xml"
	cfg.Timeouts.Write = D(time.Second)
	cfg.DefaultVersion = "2024-01-01"
	err := cfg.Validate()
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	for _, want := range []string{"listen", "upstream", "fanOutConcurrency", "log.format", "timeouts.write", "defaultVersion"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s:\n%v", want, err)
		}
	}
}

func TestBadDuration(t *testing.T) {
	cfg := Default()
	err := Parse([]byte("timeouts:\n  read: soon\n"), &cfg)
	if err == nil || !strings.Contains(err.Error(), "soon") {
		t.Fatalf("want a duration error naming the value, got %v", err)
	}
}

func TestEmptyDocumentKeepsDefaults(t *testing.T) {
	cfg := Default()
	if err := Parse(nil, &cfg); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, Default()) {
		t.Fatal("empty document changed settings")
	}
}

// The tracing section is validated with everything else, and the environment
// check adds the OTEL_* problems to the same list.
func TestTracingSectionValidatedWithTheRest(t *testing.T) {
	cfg := Default()
	err := Parse([]byte("fanOutConcurrency: 0\ntracing:\n  endpoint: \"collector:4318\"\n  protocol: thrift\n  sampleRatio: 2\n  headers: {x-key: plain}\n"), &cfg)
	if err != nil {
		t.Fatal(err)
	}
	msg := cfg.Validate().Error()
	for _, want := range []string{"fanOutConcurrency", "tracing.endpoint", "tracing.protocol", "tracing.sampleRatio", "tracing.headers.x-key"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%s not named in:\n%s", want, msg)
		}
	}
	cfg = Default()
	cfg.Tracing.Headers = map[string]string{"x-key": "env:UNSET_KEY"}
	env := map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_SAMPLER": "bogus"}
	err = cfg.ValidateEnv(func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "UNSET_KEY is not set") || !strings.Contains(err.Error(), "OTEL_TRACES_SAMPLER") {
		t.Fatalf("environment problems not reported: %v", err)
	}
	if err := Default().ValidateEnv(func(string) string { return "" }); err != nil {
		t.Fatalf("defaults with an empty environment: %v", err)
	}
}

// TestAdminPprof: off by default, a non-boolean is refused, and it needs the admin listener.
func TestAdminPprof(t *testing.T) {
	cfg := Default()
	if cfg.Admin.Pprof {
		t.Fatal("admin.pprof on by default")
	}
	if err := Parse([]byte("admin:\n  pprof: maybe\n"), &cfg); err == nil {
		t.Fatal("admin.pprof: maybe accepted")
	}
	cfg = Default()
	if err := Parse([]byte("admin:\n  pprof: true\n"), &cfg); err != nil || !cfg.Admin.Pprof {
		t.Fatalf("admin.pprof: true not read: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("valid pprof config refused: %v", err)
	}
	cfg.AdminListen = ""
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "admin.pprof") {
		t.Fatalf("pprof without an admin listener accepted: %v", err)
	}
}
