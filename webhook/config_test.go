package webhook

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestConfigValidate(t *testing.T) {
	t.Setenv("WH_SET", "x")
	good := Destination{Name: "orders", URL: "https://r.example/x", Secret: "env:WH_SET", NewSecrets: []Secret{"n"}}
	cfg := DefaultConfig()
	cfg.Destinations = []Destination{good}
	if p := cfg.Validate(); len(p) != 0 {
		t.Fatalf("valid config refused: %v", p)
	}
	bad := DefaultConfig()
	bad.Store = "mysql://x"
	bad.Tolerance = -1
	bad.Destinations = []Destination{
		{Name: "Orders!", URL: "ftp://x", Secret: "env:WH_UNSET_VAR", Mode: "mirror", PayloadFormat: "url",
			Events: []string{"extract_run.processed"}, Retry: []Duration{-1}, StepRunPayload: "all"},
		good, good, {Name: "payloads", URL: "https://r.example/x", Secret: "s", NewSecrets: []Secret{"n"}},
	}
	p := strings.Join(bad.Validate(), "\n")
	for _, want := range []string{"webhooks.store", "webhooks.tolerance", "destinations[0].name", "destinations[0].url",
		`"WH_UNSET_VAR" is not set`, "destinations[0].mode", "needs webhooks.publicBaseUrl",
		`"extract_run.processed" is not a 2025-04-21 event type`, "destinations[0].retry[0]",
		"destinations[0].stepRunPayload", `destinations[2].name: "orders" is used twice`,
		`destinations[3].name: "payloads" is reserved`} {
		if !strings.Contains(p, want) {
			t.Errorf("problems lack %q:\n%s", want, p)
		}
	}
}

// TestSecretsRedacted: a secret printed through fmt, JSON or YAML shows REDACTED.
func TestSecretsRedacted(t *testing.T) {
	d := Destination{Name: "o", Secret: "s3cr3t-value", NewSecrets: []Secret{"s3cr3t-value"}}
	cfg := Config{APIKey: "s3cr3t-value", Destinations: []Destination{d}}
	j, _ := json.Marshal(cfg)
	y, _ := yaml.Marshal(cfg)
	for _, out := range []string{fmt.Sprintf("%v %+v %s", cfg, d, d.Secret), string(j), string(y)} {
		if strings.Contains(out, "s3cr3t") {
			t.Errorf("secret printed: %s", out)
		}
	}
	if d.Secret.Resolve() != "s3cr3t-value" {
		t.Fatal("Resolve lost the value")
	}
}
