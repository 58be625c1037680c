package config

import (
	"os"
	"reflect"
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

// Every yaml key of Config must appear in config.yaml, so the sample cannot go stale.
func TestShippedConfigDocumentsEveryKey(t *testing.T) {
	raw, err := os.ReadFile("../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		for i := 0; i < ty.NumField(); i++ {
			f := ty.Field(i)
			key := f.Tag.Get("yaml")
			if !strings.Contains(string(raw), key+":") {
				t.Errorf("config.yaml does not document %q", key)
			}
			ty := f.Type
			if ty.Kind() == reflect.Slice {
				ty = ty.Elem()
			}
			if ty.Kind() == reflect.Struct && !reflect.PointerTo(ty).Implements(reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()) {
				walk(ty)
			}
		}
	}
	walk(reflect.TypeOf(Config{}))
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
