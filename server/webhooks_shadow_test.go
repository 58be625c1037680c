package server

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tidwall/gjson"
	"go.uber.org/zap"

	"github.com/extend-compat-proxy/extend-compat-proxy/sim"
	"github.com/extend-compat-proxy/extend-compat-proxy/webhook"
)

// TestWebhookShadowDifferential: the simulator emits both versions of the
// same events (its 2025-04-21 rendering is its own code, not translate's);
// a shadow-mode destination delivers the legacy ones and compares the
// translated 2026-02-09 ones with them: zero mismatches outside the
// documented lossy paths, every pair matched.
func TestWebhookShadowDifferential(t *testing.T) {
	var delivered atomic.Int64
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if webhook.Verify(r.Header, b, []string{"receiver-secret"}, time.Minute, time.Now()) == nil {
			delivered.Add(1)
		}
	}))
	defer recv.Close()
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	proxyAddr := l.Addr().String()
	l.Close()
	cfg := testConfig()
	cfg.Listen = proxyAddr
	cfg.Webhooks.Store = "sqlite:" + filepath.Join(t.TempDir(), "wh.db")
	cfg.Webhooks.Destinations = []webhook.Destination{{Name: "orders", URL: recv.URL, Secret: "receiver-secret",
		NewSecrets: []webhook.Secret{"wss_new"}, LegacySecrets: []webhook.Secret{"wss_legacy"}, Mode: webhook.ModeShadow}}
	cfg.Simulator.Webhooks = []sim.WebhookEndpoint{
		{URL: "http://" + proxyAddr + "/webhooks/orders", Secret: "wss_new", APIVersion: "2026-02-09"},
		{URL: "http://" + proxyAddr + "/webhooks/orders/legacy", Secret: "wss_legacy", APIVersion: "2025-04-21"},
	}
	s, err := Open(cfg, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	// One run per simulator script: processed, failed, rejected, needs review, reviewed.
	for _, wf := range []string{"workflow_a", "workflow_b_fail", "workflow_c_reject", "workflow_d_review", "workflow_e_reviewed"} {
		req, _ := http.NewRequest(http.MethodPost, "http://"+proxyAddr+"/workflow_runs", bytes.NewReader([]byte(
			`{"workflowId":"`+wf+`","files":[{"fileUrl":"https://files.example.org/a.pdf","fileName":"a.pdf"}]}`)))
		req.Header.Set("x-extend-api-version", "2025-04-21")
		req.Header.Set("Authorization", "Bearer sk_test")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("create %s: %d", wf, resp.StatusCode)
		}
	}
	var rep gjson.Result
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, out := get(t, "http://"+s.Addr("admin")+"/admin/shadow.json")
		rep = gjson.Get(out, "webhooks")
		runs := int64(0)
		for _, typ := range []string{"workflow_run.completed", "workflow_run.failed", "workflow_run.rejected", "workflow_run.needs_review"} {
			runs += rep.Get(gjson.Escape(typ) + ".match").Int()
		}
		if runs >= 5 && rep.Get(gjson.Escape("workflow_run.step_run.processed")+".match").Int() >= 8 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("shadow results after 20s: %s", rep.Raw)
		}
		time.Sleep(100 * time.Millisecond)
	}
	rep.ForEach(func(typ, r gjson.Result) bool {
		if r.Get("mismatch").Int() != 0 || r.Get("untranslatable").Int() != 0 || r.Get("unmatched").Int() != 0 {
			t.Errorf("%s: %s", typ.Str, r.Raw)
		}
		return true
	})
	t.Logf("webhook shadow: %s", rep.Raw)
	// The pairs are compared as the events arrive; the legacy halves are
	// delivered afterwards, by the queue: wait for one delivery per pair.
	var pairs int64
	rep.ForEach(func(_, r gjson.Result) bool { pairs += r.Get("match").Int(); return true })
	for deadline := time.Now().Add(20 * time.Second); delivered.Load() < pairs; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("shadow mode delivered %d legacy events in 20s, want one per matched pair (%d)", delivered.Load(), pairs)
		}
	}
}
