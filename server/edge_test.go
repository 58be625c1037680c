package server

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
	"go.uber.org/zap"
)

// openTest opens a server on loopback ports with the simulator as upstream.
func openTest(t *testing.T) *Server {
	t.Helper()
	s, err := Open(testConfig(), zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// send makes one request and reads the whole answer.
func send(t *testing.T, method, url, body string, h map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer sk_test_edge")
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func wantLegacyError(t *testing.T, status int, h http.Header, body []byte, want int) {
	t.Helper()
	if status != want || !strings.HasPrefix(h.Get("Content-Type"), "application/json") ||
		gjson.GetBytes(body, "success").Type != gjson.False || gjson.GetBytes(body, "error").String() == "" {
		t.Fatalf("got %d %q %s, want %d in the legacy error shape", status, h.Get("Content-Type"), body, want)
	}
}

// Regression (issue 12.2): GET /_sim/requests on the client listener returned
// the simulator's request log, batch secrets included.
func TestSimRequestLogNotOnClientListener(t *testing.T) {
	s := openTest(t)
	legacy := map[string]string{"X-Extend-Api-Version": "2025-04-21"}
	send(t, "POST", "http://"+s.Addr("proxy")+"/workflow_runs/batch",
		`{"workflowId":"workflow_a","inputs":[{"rawText":"x","secrets":{"k":"sk_live_SECRET"}}]}`, legacy)
	for _, p := range []string{"/_sim/requests", "/%5Fsim/requests", "/%255Fsim/requests", "/x/../_sim/requests", "/_sim/runs/count"} {
		for _, h := range []map[string]string{legacy, {"X-Extend-Api-Version": "2026-02-09"}} {
			code, _, body := send(t, "GET", "http://"+s.Addr("proxy")+p, "", h)
			if code != http.StatusNotFound || strings.Contains(string(body), "SECRET") || strings.Contains(string(body), "Method") {
				t.Fatalf("GET %s (%v) on the client listener: %d %s", p, h, code, body)
			}
		}
	}
	code, hdr, body := send(t, "DELETE", "http://"+s.Addr("proxy")+"/_sim/requests", "", legacy)
	wantLegacyError(t, code, hdr, body, http.StatusNotFound)
	code, _, body = send(t, "GET", "http://"+s.Addr("sim")+"/_sim/requests", "", nil)
	if code != 200 || !gjson.GetBytes(body, `#(Path=="/workflow_runs/batch")`).Exists() {
		t.Fatalf("the sim's own address lost its request log: %d %s", code, body)
	}
	if strings.Contains(string(body), "sk_live_SECRET") {
		t.Fatalf("the sim's log shows a secret: %s", body)
	}
}
