package proxy

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

func TestFanOutFailureRollsBackEveryRun(t *testing.T) {
	e := newEnv(t, nil, func(o *Options) { o.FanOutConcurrency = 1 })
	files := `[{"fileUrl":"https://x.example/1.pdf"},{"fileUrl":"https://x.example/2.pdf"},{"fileUrl":"https://x.example/3.pdf"},{"fileUrl":"https://x.example/4.pdf"}]`
	r := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_err5xx_3","files":`+files+`}`)
	wantStatus(t, r, 500)
	if n := e.sim.RunCount(); n != 0 {
		t.Fatalf("%d runs left behind after a failed fan-out", n)
	}
	var cancels, deletes, creates int
	for _, rec := range e.sim.Requests() {
		switch {
		case rec.Method == "POST" && rec.Path == "/workflow_runs":
			creates++
		case strings.HasSuffix(rec.Path, "/cancel"):
			cancels++
		case rec.Method == "DELETE":
			deletes++
		}
	}
	if creates != 3 || cancels != 2 || deletes != 2 {
		t.Fatalf("creates=%d cancels=%d deletes=%d, want 3/2/2 (no create after the failure)", creates, cancels, deletes)
	}
	found := false
	for _, l := range e.logs.FilterMessage("compensation").All() {
		found = found || l.ContextMap()["outcome"] == "deleted"
	}
	if !found {
		t.Fatal("compensation was not logged")
	}
}

// When rollback cannot delete a run, a retryable failure becomes a 409 naming
// the leftover runs, so the legacy SDK does not retry into duplicates.
func TestIncompleteRollbackAnswers409(t *testing.T) {
	var n atomic.Int32
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "POST" && r.URL.Path == "/workflow_runs":
			if n.Add(1) == 2 {
				jsonReply(w, 503, `{"code":"UNAVAILABLE","message":"try later","retryable":true}`)
				return
			}
			jsonReply(w, 200, newRunJSON("workflow_run_left", "a.pdf"))
		case r.Method == "DELETE":
			jsonReply(w, 500, `{"code":"INTERNAL","message":"boom","retryable":true}`)
		default:
			jsonReply(w, 200, newRunJSON("workflow_run_left", "a.pdf"))
		}
	}), func(o *Options) { o.FanOutConcurrency = 1 })
	r := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_x","rawTexts":["a","b","c"]}`)
	wantStatus(t, r, 409)
	msg := r.get("error").String()
	if !strings.Contains(msg, "workflow_run_left") || !strings.Contains(msg, "try later") {
		t.Fatalf("409 message should name the leftover run and the cause: %s", msg)
	}
}

func TestValidationHappensBeforeAnyUpstreamCall(t *testing.T) {
	var calls atomic.Int32
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		jsonReply(w, 200, `{}`)
	}))
	many := make([]string, 51)
	for i := range many {
		many[i] = `{"fileUrl":"https://x.example/f.pdf"}`
	}
	for name, body := range map[string]string{
		"malformed JSON":   `{"workflowId":`,
		"not an object":    `[1,2]`,
		"no workflowId":    `{"rawTexts":["a"]}`,
		"workflowId type":  `{"workflowId":5,"rawTexts":["a"]}`,
		"no inputs":        `{"workflowId":"workflow_x"}`,
		"empty inputs":     `{"workflowId":"workflow_x","files":[],"rawTexts":[]}`,
		"files not array":  `{"workflowId":"workflow_x","files":{"fileUrl":"u"}}`,
		"file without src": `{"workflowId":"workflow_x","files":[{"fileName":"a.pdf"}]}`,
		"51 files":         `{"workflowId":"workflow_x","files":[` + strings.Join(many, ",") + `]}`,
		"rawText type":     `{"workflowId":"workflow_x","rawTexts":[1]}`,
		"metadata type":    `{"workflowId":"workflow_x","rawTexts":["a"],"metadata":[]}`,
		"bad output shape": `{"workflowId":"workflow_x","files":[{"fileId":"file_1","outputs":[{"processorId":"p","output":5}]}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			wantStatus(t, e.legacy("POST", "/workflow_runs", body), 400)
		})
	}
	if calls.Load() != 0 {
		t.Fatalf("%d upstream calls for invalid requests", calls.Load())
	}
}

func TestBodyTooLarge(t *testing.T) {
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, `{}`) }),
		func(o *Options) { o.MaxBodyBytes = 1024 })
	r := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_x","rawTexts":["`+strings.Repeat("a", 4096)+`"]}`)
	wantStatus(t, r, 413)
}

// Each misbehaving upstream produces the right legacy status and shape.
func TestUpstreamFaults(t *testing.T) {
	cases := []struct {
		name   string
		h      upstreamFunc
		status int
		check  func(t *testing.T, r result)
	}{
		{"500 ApiError", func(w http.ResponseWriter, r *http.Request) {
			jsonReply(w, 500, `{"code":"INTERNAL","message":"database on fire","retryable":true,"requestId":"req_9"}`)
		}, 500, func(t *testing.T, r result) {
			if !strings.Contains(r.get("error").String(), "database on fire") {
				t.Errorf("message lost: %s", r.body)
			}
		}},
		{"502 html", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(502)
			fmt.Fprint(w, "<html>bad gateway</html>")
		}, 502, nil},
		{"503 empty", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }, 503, nil},
		{"429 retry-after", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7")
			jsonReply(w, 429, `{"code":"RATE_LIMITED","message":"slow down","retryable":true}`)
		}, 429, func(t *testing.T, r result) {
			if r.header.Get("Retry-After") != "7" {
				t.Errorf("Retry-After not relayed: %v", r.header)
			}
		}},
		{"invalid JSON 200", func(w http.ResponseWriter, r *http.Request) { jsonReply(w, 200, `{"object":"workflow_run",`) }, 502, nil},
		{"wrong content type 200", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "hello")
		}, 502, nil},
		{"truncated body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(200)
			fmt.Fprint(w, `{"object":"workflow_run"`)
		}, 502, nil},
		{"connection reset mid-body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(200)
			fmt.Fprint(w, `{"object":`)
			w.(http.Flusher).Flush()
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}, 502, nil},
		{"huge body", func(w http.ResponseWriter, r *http.Request) {
			jsonReply(w, 200, `{"a":"`+strings.Repeat("x", 8192)+`"}`)
		}, 502, nil},
		{"slow headers", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		}, 504, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, c.h, func(o *Options) {
				o.MaxUpstreamBodyBytes = 4096
				o.Retry.MaxAttempts = 1
				o.Transport = NewTransport(TransportOptions{ResponseHeaderTimeout: 200 * time.Millisecond})
			})
			r := e.legacy("GET", "/workflow_runs/workflow_run_1", "")
			wantStatus(t, r, c.status)
			if c.check != nil {
				c.check(t, r)
			}
		})
	}
}

func TestUpstreamUnreachable(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) {}))
	e.proxy.up.base.Host = addr
	e.proxy.opt.Upstream.Host = addr
	wantStatus(t, e.legacy("GET", "/workflow_runs", ""), 502)
	r := e.do("GET", "/workflow_runs", "", http.Header{"X-Extend-Api-Version": {"2026-02-09"}})
	if r.status != 502 || r.get("code").String() == "" || r.get("retryable").Type != gjson.True {
		t.Fatalf("passthrough failure should be an ApiError: %d %s", r.status, r.body)
	}
}

func TestGetRetriesButCreateDoesNot(t *testing.T) {
	var gets, creates atomic.Int32
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" {
			if gets.Add(1) < 3 {
				w.Header().Set("Retry-After", "0")
				jsonReply(w, 503, `{"code":"UNAVAILABLE","message":"later","retryable":true}`)
				return
			}
			jsonReply(w, 200, newRunJSON("workflow_run_1", "a.pdf"))
			return
		}
		creates.Add(1)
		jsonReply(w, 503, `{"code":"UNAVAILABLE","message":"later","retryable":true}`)
	}))
	wantStatus(t, e.legacy("GET", "/workflow_runs/workflow_run_1", ""), 200)
	if gets.Load() != 3 {
		t.Fatalf("GET attempts %d, want 3", gets.Load())
	}
	wantStatus(t, e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_x","rawTexts":["a"]}`), 503)
	if creates.Load() != 1 {
		t.Fatalf("create attempted %d times; creates must not be retried", creates.Load())
	}
}

func TestHeadersForwardedAndSecretsNotLogged(t *testing.T) {
	var mu sync.Mutex
	var seen http.Header
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = r.Header.Clone()
		mu.Unlock()
		jsonReply(w, 200, newRunJSON("workflow_run_1", "a.pdf"))
	}), func(o *Options) { o.WorkspaceID = "ws_default" })
	r := e.do("GET", "/workflow_runs/workflow_run_1", "", http.Header{"X-Extend-Api-Version": {"2025-04-21"}, "X-Request-Id": {"req-abc-1"}})
	wantStatus(t, r, 200)
	mu.Lock()
	first := seen
	mu.Unlock()
	if first.Get("Authorization") != "Bearer sk_test_secret_token_123" || first.Get("X-Extend-Api-Version") != "2026-02-09" ||
		first.Get("X-Extend-Workspace-Id") != "ws_default" || first.Get("X-Request-Id") != "req-abc-1" {
		t.Fatalf("upstream headers %v", first)
	}
	if r.header.Get("X-Request-Id") != "req-abc-1" {
		t.Fatalf("request id not returned: %v", r.header)
	}
	e.do("GET", "/workflow_runs/workflow_run_1", "", http.Header{"X-Extend-Api-Version": {"2025-04-21"}, "X-Extend-Workspace-Id": {"ws_mine"}})
	mu.Lock()
	second := seen
	mu.Unlock()
	if second.Get("X-Extend-Workspace-Id") != "ws_mine" {
		t.Fatalf("client workspace not forwarded: %v", second)
	}
	for _, l := range e.logs.All() {
		line := fmt.Sprint(l.Message, l.ContextMap())
		if strings.Contains(line, "sk_test_secret_token_123") {
			t.Fatalf("secret logged: %s", line)
		}
	}
	if len(e.logs.FilterMessage("request").All()) == 0 {
		t.Fatal("no access log lines")
	}
}

// Regression: a client that gives up while its creates are in flight got a
// 200 written to a closed connection and its runs stayed behind.
func TestClientGoneDuringFanOutLeavesNoRuns(t *testing.T) {
	e := newEnv(t, nil)
	client := &http.Client{Timeout: 100 * time.Millisecond}
	req, _ := http.NewRequest("POST", e.srv.URL+"/workflow_runs",
		strings.NewReader(`{"workflowId":"workflow_gone_delay_400","rawTexts":["a","b"]}`))
	req.Header.Set("Authorization", "Bearer k")
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("the client was meant to time out")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		creates := 0
		for _, rec := range e.sim.Requests() {
			if rec.Method == "POST" && rec.Path == "/workflow_runs" {
				creates++
			}
		}
		if creates == 2 && e.sim.RunCount() == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d creates seen, %d runs left behind", creates, e.sim.RunCount())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A create whose answer never comes may have made a run nobody can name: the
// client gets a non-retryable 409 saying so, and the runs that are known are
// rolled back.
func TestCreateTimeoutIsAnUnknownOutcome(t *testing.T) {
	var creates atomic.Int32
	var deleted atomic.Value
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "POST" && r.URL.Path == "/workflow_runs":
			if creates.Add(1) == 2 {
				select { // the second create never answers in time
				case <-r.Context().Done():
				case <-time.After(2 * time.Second):
				}
				return
			}
			jsonReply(w, 200, newRunJSON("workflow_run_known", "a.pdf"))
		case r.Method == "DELETE":
			deleted.Store(r.URL.Path)
			jsonReply(w, 200, `{"id":"workflow_run_known"}`)
		default:
			jsonReply(w, 200, newRunJSON("workflow_run_known", "a.pdf"))
		}
	}), func(o *Options) {
		o.FanOutConcurrency = 1
		o.UpstreamTimeout = 150 * time.Millisecond
	})
	r := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_x","rawTexts":["a","b","c"]}`)
	wantStatus(t, r, 409)
	if msg := r.get("error").String(); !strings.Contains(msg, "outcome unknown for input 1") {
		t.Fatalf("409 does not name the unknown input: %s", msg)
	}
	if deleted.Load() != "/workflow_runs/workflow_run_known" {
		t.Fatalf("known run not rolled back: %v", deleted.Load())
	}
	if creates.Load() != 2 {
		t.Fatalf("%d creates; none may start after the failure", creates.Load())
	}
}

// Passthrough bodies obey the same limit, with the caller's own error shape.
func TestPassthroughBodyTooLarge(t *testing.T) {
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		readAll(r)
		jsonReply(w, 200, `{}`)
	}), func(o *Options) { o.MaxBodyBytes = 1024 })
	r := e.do("POST", "/workflow_runs", `{"workflow":{"id":"workflow_x"},"file":{"text":"`+strings.Repeat("a", 4096)+`"}}`,
		http.Header{"X-Extend-Api-Version": {"2026-02-09"}})
	if r.status != 413 || r.get("code").String() != "REQUEST_TOO_LARGE" {
		t.Fatalf("want a 413 ApiError, got %d %s", r.status, r.body)
	}
}
