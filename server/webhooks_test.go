package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/extend-compat-proxy/extend-compat-proxy/webhook"
)

// TestWebhooksMounted: the relay answers on the main listener, reports on the
// admin listener, and no secret shows up in answers, the page or /metrics.
func TestWebhooksMounted(t *testing.T) {
	const inSecret, outSecret = "wss_inbound_very_secret", "legacy_receiver_very_secret"
	t.Setenv("TEST_WH_IN", inSecret)
	t.Setenv("TEST_WH_OUT", outSecret)
	got := make(chan []byte, 1)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if webhook.Verify(r.Header, b, []string{outSecret}, time.Minute, time.Now()) == nil {
			got <- b
		}
	}))
	defer recv.Close()
	cfg := testConfig()
	cfg.Webhooks.Store = "sqlite:" + filepath.Join(t.TempDir(), "wh.db")
	cfg.Webhooks.Destinations = []webhook.Destination{{Name: "orders", URL: recv.URL, Secret: "env:TEST_WH_OUT",
		NewSecrets: []webhook.Secret{"env:TEST_WH_IN"}}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(cfg, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	body := []byte(`{"eventId":"evt_1","eventType":"parse_run.processed","payload":{"object":"parse_run_status","id":"pr_1","status":"PROCESSED"}}`)
	req, _ := http.NewRequest(http.MethodPost, "http://"+s.Addr("proxy")+"/webhooks/orders", bytes.NewReader(body))
	webhook.SignHeaders(req.Header, inSecret, time.Now(), body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("inbound %d", resp.StatusCode)
	}
	select {
	case b := <-got:
		if !strings.Contains(string(b), `"eventType":"parser_run.processed"`) {
			t.Fatalf("delivered %s", b)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("not delivered")
	}
	if code, _ := get(t, "http://"+s.Addr("proxy")+"/workflow_runs/x"); code == 0 {
		t.Fatal("proxy routes lost")
	}
	for _, path := range []string{"/admin/webhooks.json", "/admin/webhooks", "/metrics"} {
		code, out := get(t, "http://"+s.Addr("admin")+path)
		if code != 200 {
			t.Fatalf("%s: %d", path, code)
		}
		if strings.Contains(out, inSecret) || strings.Contains(out, outSecret) {
			t.Fatalf("%s shows a secret", path)
		}
		if path != "/metrics" && !strings.Contains(out, "orders") {
			t.Fatalf("%s: %s", path, out)
		}
	}
	if _, out := get(t, "http://"+s.Addr("admin")+"/metrics"); !strings.Contains(out, `extend_compat_webhook_events{destination="orders",state="delivered"}`) {
		t.Fatalf("metrics lack the webhook gauges")
	}
	if code, _ := get(t, "http://"+s.Addr("proxy")+"/admin/webhooks.json"); code == 200 {
		t.Fatal("admin surface on the client listener")
	}
}
