package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWebhookStoreOverride: --webhook-store beats EXTEND_COMPAT_WEBHOOK_STORE beats webhooks.store.
func TestWebhookStoreOverride(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(file, []byte("webhooks:\n  store: \"sqlite:file.db\"\n"), 0o600)
	env := envOf(map[string]string{"EXTEND_COMPAT_CONFIG": file, "EXTEND_COMPAT_WEBHOOK_STORE": "sqlite:env.db"})
	cfg, _, err := loadConfig(nil, env, &bytes.Buffer{})
	if err != nil || cfg.Webhooks.Store != "sqlite:env.db" {
		t.Fatalf("env: %q %v", cfg.Webhooks.Store, err)
	}
	cfg, _, err = loadConfig([]string{"--webhook-store", "postgres://u@db.example/wh"}, env, &bytes.Buffer{})
	if err != nil || cfg.Webhooks.Store != "postgres://u@db.example/wh" {
		t.Fatalf("flag: %q %v", cfg.Webhooks.Store, err)
	}
}

// TestCheckConfigWebhooks: --check-config reports webhook problems (an unset
// env secret, a bad store) without printing any secret.
func TestCheckConfigWebhooks(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte(`webhooks:
  store: "mysql://x"
  destinations:
    - name: orders
      url: "https://r.example/x"
      secret: "literal-very-secret-value"
      newSecrets: ["env:WH_TEST_UNSET_SECRET"]
`), 0o600)
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"--check-config", "--config", bad}, envOf(nil), &out, &errb)
	if err == nil {
		t.Fatal("bad webhooks config accepted")
	}
	for _, want := range []string{"webhooks.store", `"WH_TEST_UNSET_SECRET" is not set`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	if strings.Contains(err.Error()+out.String()+errb.String(), "literal-very-secret-value") {
		t.Fatal("a secret was printed")
	}
}
