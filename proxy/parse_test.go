package proxy

import (
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

const parseRunDone = `{"object":"parse_run","id":"pr_1","file":{"id":"file_1"},"status":"PROCESSED","failureReason":null,` +
	`"output":{"chunks":[{"object":"chunk","type":"page","content":"x","metadata":{"pageRange":{"start":1,"end":1}},"blocks":[]}]},` +
	`"metrics":null,"config":{"target":"markdown"},"usage":{"credits":1}}`

// parseUpstream answers POST /parse with PENDING and settles GET /parse_runs/pr_1 after `after` polls (never when < 0).
func parseUpstream(s *seen, after int32) upstreamFunc {
	var polls atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.record(r, b)
		switch {
		case r.Method == "POST" && (r.URL.Path == "/parse" || r.URL.Path == "/parse_runs"):
			jsonReply(w, 200, `{"object":"parse_run","id":"pr_1","file":{"id":"file_1"},"status":"PENDING","output":null,"metrics":null}`)
		case r.Method == "GET" && r.URL.Path == "/parse_runs/pr_1":
			if n := polls.Add(1); after < 0 || n < after {
				jsonReply(w, 200, `{"object":"parse_run","id":"pr_1","file":{"id":"file_1"},"status":"PROCESSING","output":null,"metrics":null}`)
				return
			}
			jsonReply(w, 200, parseRunDone)
		case r.Method == "DELETE" && r.URL.Path == "/parse_runs/pr_1":
			jsonReply(w, 200, `{"id":"pr_1"}`)
		default:
			jsonReply(w, 404, `{"code":"NOT_FOUND","message":"no route","retryable":false}`)
		}
	}
}

func TestParseWaitsForTheResult(t *testing.T) {
	s := &seen{}
	e := newEnv(t, parseUpstream(s, 2))
	res := e.legacy("POST", "/parse", `{"file":{"fileUrl":"https://x.example/a.pdf","fileName":"a.pdf"},"config":{"target":"markdown"}}`)
	wantStatus(t, res, 200)
	// 0.0.12's ParserRun is closed and has no object member (only parserRun.get's union does).
	if res.get("object").Exists() || res.get("status").String() != "PROCESSED" || res.get("chunks.#").Int() != 1 ||
		res.get("metrics.pageCount").Int() != 1 || res.get("fileId").String() != "file_1" {
		t.Errorf("parse answered %s", res.body)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.calls) != 3 || s.calls[0] != "POST /parse 2026-02-09" || s.calls[2] != "GET /parse_runs/pr_1 2026-02-09" {
		t.Errorf("upstream calls %q, want the create and two polls", s.calls)
	}
}

func TestParseDeadlineIsLegacy504(t *testing.T) {
	s := &seen{}
	e := newEnv(t, parseUpstream(s, -1), func(o *Options) { o.RequestTimeout = 600 * time.Millisecond })
	res := e.legacy("POST", "/parse", `{"file":{"fileId":"file_1"}}`)
	wantStatus(t, res, 504)
	if !gjson.GetBytes(res.body, "error").Exists() {
		t.Errorf("body %s", res.body)
	}
}

func TestParseRunRoutesMoved(t *testing.T) {
	s := &seen{}
	e := newEnv(t, parseUpstream(s, 1))
	res := e.legacy("POST", "/parse/async", `{"file":{"fileId":"file_1","fileName":"dropped.pdf"}}`)
	wantStatus(t, res, 200)
	if s.last() != "POST /parse_runs 2026-02-09" || res.get("object").Exists() || res.get("status").String() != "PROCESSING" {
		t.Errorf("parseAsync: %s via %s", res.body, s.last())
	}
	if got := gjson.GetBytes(s.body, "file").Raw; got != `{"id":"file_1"}` {
		t.Errorf("upstream file %s", got)
	}
	res = e.legacy("GET", "/parser_runs/pr_1?responseType=json", "")
	wantStatus(t, res, 200)
	if s.last() != "GET /parse_runs/pr_1?responseType=json 2026-02-09" || res.get("parserRun.object").String() != "parser_run" {
		t.Errorf("parserRun.get: %s via %s", res.body, s.last())
	}
	res = e.legacy("DELETE", "/parser_runs/pr_1", "")
	wantStatus(t, res, 200)
	if res.get("parserRunId").String() != "pr_1" || res.get("message").String() != "Parser run data has been successfully deleted." {
		t.Errorf("parserRun.delete: %s", res.body)
	}
	calls := len(s.calls)
	wantStatus(t, e.legacy("POST", "/parse", `{"file":{"fileName":"only-a-name.pdf"}}`), 400)
	if len(s.calls) != calls {
		t.Error("a refused parse reached the upstream")
	}
}
