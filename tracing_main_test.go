package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/extend-compat-proxy/extend-compat-proxy/tracing/tracingtest"
)

// With OTEL_EXPORTER_OTLP_ENDPOINT set, the binary traces, and the spans of
// the last requests reach the collector because shutdown flushes them.
func TestRunExportsTracesAndFlushesOnExit(t *testing.T) {
	rc := tracingtest.NewReceiver(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &syncBuffer{b: &bytes.Buffer{}}
	env := envOf(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": rc.URL(), "OTEL_SERVICE_NAME": "compat-test"})
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--admin-listen", "", "--upstream", "sim"}, env, &bytes.Buffer{}, logs)
	}()
	addr := waitForListen(t, logs)
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/workflow_runs?limit=1", nil)
	req.Header.Set("Authorization", "Bearer sk_x")
	req.Header.Set("X-Extend-Api-Version", "2025-04-21")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var server, client int
	for _, s := range rc.Spans() {
		if s.Service != "compat-test" {
			t.Errorf("span %q from service %q", s.Name, s.Service)
		}
		switch s.Name {
		case "GET /workflow_runs":
			if s.Kind.String() == "SPAN_KIND_SERVER" {
				server++
			} else {
				client++
			}
		}
	}
	if server != 1 || client != 1 {
		t.Fatalf("collector got %d server and %d client spans for the list after shutdown, want 1 and 1", server, client)
	}
	if !strings.Contains(logs.String(), `"trace_id"`) {
		t.Error("the access log line has no trace_id")
	}
}

func waitForListen(t *testing.T, logs *syncBuffer) string {
	t.Helper()
	re := regexp.MustCompile(`"msg":"ready".*?"listen":"([^"]+)"`)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("proxy never became ready:\n%s", logs.String())
	return ""
}

func TestCheckConfigReportsTracingEnvironment(t *testing.T) {
	env := envOf(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_SAMPLER": "sometimes"})
	err := run(context.Background(), []string{"--check-config"}, env, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "OTEL_TRACES_SAMPLER") {
		t.Fatalf("bad OTEL_TRACES_SAMPLER accepted: %v", err)
	}
}
