package shadow

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestHandlerServesJSONAndPage(t *testing.T) {
	s := New(DefaultConfig(), nil, nil, nil)
	s.Submit(Job{Route: "get", ServedStatus: 200, ServedBody: []byte(`{"a":1}`), Run: answer(200, `{"a":2}`)})
	closeNow(t, s)
	srv := httptest.NewServer(s.Handler(func() any { return map[string]any{"defaultMode": "shadow"} }))
	defer srv.Close()

	res, body := get(t, srv.URL+"/admin/shadow.json")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("json: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var got struct {
		Shadow  Report         `json:"shadow"`
		Rollout map[string]any `json:"rollout"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Rollout["defaultMode"] != "shadow" || len(got.Shadow.Routes) != 1 || got.Shadow.Routes[0].TopPaths[0].Path != "a" {
		t.Errorf("json = %s", body)
	}

	res, body = get(t, srv.URL+"/admin/shadow")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(body, `fetch("./shadow.json"`) || res.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("page: %d %v", res.StatusCode, res.Header)
	}
	if strings.Contains(body, "src=\"http") || strings.Contains(body, "href=\"http") {
		t.Error("the page must not load external assets")
	}
	if res, _ := get(t, srv.URL+"/admin/other"); res.StatusCode != http.StatusNotFound {
		t.Errorf("other path: %d", res.StatusCode)
	}
	res, err := http.Post(srv.URL+"/admin/shadow.json", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", res.StatusCode)
	}
}

func TestHandlerNilAndBadRollout(t *testing.T) {
	s := New(DefaultConfig(), nil, nil, nil)
	closeNow(t, s)
	for name, ro := range map[string]func() any{"nil": nil, "unmarshalable": func() any { return func() {} }} {
		srv := httptest.NewServer(s.Handler(ro))
		res, body := get(t, srv.URL+"/admin/shadow.json")
		srv.Close()
		if res.StatusCode != 200 || !strings.Contains(body, `"rollout":null`) {
			t.Errorf("%s: %d %s", name, res.StatusCode, body)
		}
	}
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

func TestConfigDefaultsValidateAndParse(t *testing.T) {
	if p := DefaultConfig().Validate(); len(p) != 0 {
		t.Fatalf("defaults invalid: %v", p)
	}
	bad := Config{QueueSize: 0, Concurrency: -1, Timeout: 0, WriteSampleRate: 2, WriteBudgetPerMinute: -1,
		StoreSize: -1, Ignore: []string{""}, Unordered: []string{""}}
	p := bad.Validate()
	if len(p) != 8 {
		t.Errorf("want 8 problems, got %v", p)
	}
	for _, msg := range p {
		if !strings.HasPrefix(msg, "shadow.") {
			t.Errorf("problem without prefix: %q", msg)
		}
	}
	cfg := DefaultConfig()
	src := "timeout: 5s\nwrites: true\nignore: [\"workflowRun.outputs.#.usage\"]\n"
	if err := yaml.Unmarshal([]byte(src), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Timeout.Std().String() != "5s" || !cfg.Writes || !cfg.Reads || cfg.QueueSize != 256 || len(cfg.Unordered) != 4 {
		t.Errorf("parsed = %+v", cfg)
	}
	if err := yaml.Unmarshal([]byte("timeout: 5\n"), &cfg); err == nil {
		t.Error("a bare number is not a duration")
	}
	b, _ := json.Marshal(cfg)
	var back Config
	if err := json.Unmarshal(b, &back); err != nil || back.Timeout != cfg.Timeout {
		t.Errorf("json round trip: %v %s", err, b)
	}
	// A config that skipped Validate must not crash New.
	closeNow(t, New(bad, nil, nil, nil))
}
