package server

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"
	"go.uber.org/zap"

	"github.com/extend-compat-proxy/extend-compat-proxy/sim"
	"github.com/extend-compat-proxy/extend-compat-proxy/webhook"
)

// TestWebhookLoop runs the whole loop on one machine: a legacy create
// through the proxy, the run finishing in the simulator, the simulator's
// signed 2026-02-09 events to /webhooks/orders, and legacy events at a
// receiver that verifies them. Workflow-run payloads come as signed URLs
// that the relay fetches from the simulator. The simulator also sends
// 2025-04-21 events to /webhooks/orders/legacy, which translate mode accepts and drops.
func TestWebhookLoop(t *testing.T) {
	var mu sync.Mutex
	var got []gjson.Result
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if err := webhook.Verify(r.Header, b, []string{"receiver-secret"}, time.Minute, time.Now()); err != nil {
			t.Errorf("receiver: %v", err)
			w.WriteHeader(401)
			return
		}
		mu.Lock()
		got = append(got, gjson.ParseBytes(b))
		mu.Unlock()
	}))
	defer recv.Close()
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	proxyAddr := l.Addr().String()
	l.Close()
	cfg := testConfig()
	cfg.Listen = proxyAddr
	cfg.Webhooks.Store = "sqlite:" + filepath.Join(t.TempDir(), "wh.db")
	cfg.Webhooks.Destinations = []webhook.Destination{{Name: "orders", URL: recv.URL, Secret: "receiver-secret",
		NewSecrets: []webhook.Secret{"wss_sim_new"}, LegacySecrets: []webhook.Secret{"wss_sim_legacy"}}}
	// Run payloads (large) come as signed URLs on the simulator; the relay fetches them before acknowledging.
	cfg.Simulator.Webhooks = []sim.WebhookEndpoint{
		{URL: "http://" + proxyAddr + "/webhooks/orders", Secret: "wss_sim_new", APIVersion: "2026-02-09",
			PayloadFormat: "url", URLThresholdBytes: 4096},
		{URL: "http://" + proxyAddr + "/webhooks/orders/legacy", Secret: "wss_sim_legacy", APIVersion: "2025-04-21"},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(cfg, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	req, _ := http.NewRequest(http.MethodPost, "http://"+proxyAddr+"/workflow_runs", bytes.NewReader([]byte(
		`{"workflowId":"workflow_invoice_demo","files":[{"fileUrl":"https://files.example.org/a.pdf","fileName":"a.pdf"}]}`)))
	req.Header.Set("x-extend-api-version", "2025-04-21")
	req.Header.Set("Authorization", "Bearer sk_test")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	runID := gjson.GetBytes(body, "workflowRuns.0.id").Str
	if resp.StatusCode != 200 || runID == "" {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		var completed, steps int
		for _, ev := range got {
			switch ev.Get("eventType").Str {
			case "workflow_run.completed":
				if ev.Get("payload.id").Str == runID && ev.Get("payload.outputs.#").Int() > 0 {
					completed++
				}
			case "workflow_run.step_run.processed":
				steps++
			}
		}
		n := len(got)
		mu.Unlock()
		if completed == 1 && steps == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 20s: %d events, completed %d, validation step events %d", n, completed, steps)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// 6 non-validation step events are dropped (stepRunOthers: drop), as
	// are the legacy endpoint's events in translate mode.
	code, out := get(t, "http://"+s.Addr("admin")+"/admin/webhooks.json")
	if code != 200 || gjson.Get(out, "destinations.0.dropped").Int() < 6 {
		t.Fatalf("stats: %s", out)
	}
}
