package server

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/extend-compat-proxy/extend-compat-proxy/config"
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

// rawExchange writes req on a fresh connection and reads the answer until the server closes it.
func rawExchange(t *testing.T, addr, req string) *http.Response {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no HTTP answer: %v", err)
	}
	return resp
}

func readAnswer(t *testing.T, resp *http.Response) (int, http.Header, []byte) {
	t.Helper()
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// Regression (issue 12.8): a body shorter than its Content-Length was answered
// after the read timeout with 499 and an empty body.
func TestIncompleteBodyIs408(t *testing.T) {
	// A separate upstream without the short read timeout: the test is about
	// the proxy's own deadline, not a race between two equal ones.
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, `{"code":"INVALID_REQUEST","message":"could not read the body"}`, http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer upstream.Close()
	cfg := testConfig()
	cfg.Upstream = upstream.URL
	cfg.Timeouts.Read = config.D(300 * time.Millisecond)
	core, logs := observer.New(zap.InfoLevel)
	s, err := Open(cfg, zap.New(core))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	for _, tc := range []struct{ name, path, version, ct string }{
		{"translated", "/workflow_runs", "2025-04-21", "application/json"},
		{"translated upload", "/files/upload", "2025-04-21", "multipart/form-data; boundary=xyz"},
		{"passthrough legacy", "/not_in_the_legacy_sdk", "2025-04-21", "application/json"},
		{"passthrough new", "/workflow_runs", "2026-02-09", "application/json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := len(logs.FilterMessage("request").All())
			resp := rawExchange(t, s.Addr("proxy"), "POST "+tc.path+" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n"+
				"X-Extend-Api-Version: "+tc.version+"\r\nContent-Type: "+tc.ct+"\r\nContent-Length: 100\r\n\r\n{\"workflowId\":")
			code, h, body := readAnswer(t, resp)
			if tc.version == "2025-04-21" {
				wantLegacyError(t, code, h, body, http.StatusRequestTimeout)
			} else if code != http.StatusRequestTimeout || gjson.GetBytes(body, "code").String() != "REQUEST_TIMEOUT" {
				t.Fatalf("got %d %s, want a 408 ApiError", code, body)
			}
			eventually(t, "the access log line", func() bool { return len(logs.FilterMessage("request").All()) > start })
			line := logs.FilterMessage("request").All()[start]
			if st := line.ContextMap()["status"]; st != int64(408) {
				t.Fatalf("access log status %v, want 408", st)
			}
		})
	}
}

// Regression (issue 12.9): Go's server and the upstream answered some requests
// before the proxy's handlers: a text 431 for large headers, 301 with an empty
// body (even for a POST) for paths with empty or dot segments.
func TestServerOriginatedErrorsAreLegacyJSON(t *testing.T) {
	s := openTest(t)
	big := strings.Repeat("a", 70<<10)
	for _, tc := range []struct {
		name, req string
		want      int
	}{
		{"large header", "GET /workflow_runs HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n", http.StatusRequestHeaderFieldsTooLarge},
		{"many headers", "GET /workflow_runs HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X-Many: "+strings.Repeat("b", 1000)+"\r\n", 70), http.StatusRequestHeaderFieldsTooLarge},
		{"empty segment POST", "POST /workflow_runs//cancel HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n", http.StatusNotFound},
		{"dot-dot", "GET /workflow_runs/../x HTTP/1.1\r\nHost: x\r\n", http.StatusNotFound},
		{"dot", "DELETE /workflow_runs/./workflow_run_1 HTTP/1.1\r\nHost: x\r\n", http.StatusNotFound},
		{"leading empty segment", "GET //workflow_runs HTTP/1.1\r\nHost: x\r\n", http.StatusNotFound},
		{"dot-dot outside a translated resource", "GET /other/../files HTTP/1.1\r\nHost: x\r\n", http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := rawExchange(t, s.Addr("proxy"), tc.req+"Authorization: Bearer k\r\nX-Extend-Api-Version: 2025-04-21\r\nConnection: close\r\n\r\n")
			code, h, body := readAnswer(t, resp)
			if h.Get("Location") != "" {
				t.Fatalf("redirected to %s", h.Get("Location"))
			}
			wantLegacyError(t, code, h, body, tc.want)
		})
	}
}
