package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/extend-compat-proxy/extend-compat-proxy/config"
)

// The shipped manifests must be valid YAML, and the ConfigMap's config.yaml
// must be a configuration the proxy accepts.
func TestDeployManifests(t *testing.T) {
	files, err := filepath.Glob("deploy/*/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 6 {
		t.Fatalf("expected the k8s and envoy manifests, found %v", files)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	var cm struct {
		Data map[string]string `yaml:"data"`
	}
	raw, err := os.ReadFile("deploy/k8s/configmap.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, &cm); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(cm.Data["config.yaml"]) == "" {
		t.Fatalf("the ConfigMap has no config.yaml entry (keys: %v)", keysOf(cm.Data))
	}
	cfg := config.Default()
	if err := config.Parse([]byte(cm.Data["config.yaml"]), &cfg); err != nil {
		t.Fatalf("ConfigMap config.yaml: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("ConfigMap config.yaml: %v", err)
	}
	dep, err := os.ReadFile("deploy/k8s/deployment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"path: /healthz", "path: /readyz", "limits:", "runAsNonRoot: true"} {
		if !strings.Contains(string(dep), want) {
			t.Errorf("deployment lacks %q", want)
		}
	}
}

func keysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
