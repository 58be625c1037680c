package proxy

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/rollout"
)

// seen records what a fake upstream received.
type seen struct {
	mu    sync.Mutex
	calls []string // "METHOD path?query version"
	body  []byte
	ct    string
}

func (s *seen) record(r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := ""
	if r.URL.RawQuery != "" {
		q = "?" + r.URL.RawQuery
	}
	s.calls = append(s.calls, r.Method+" "+r.URL.EscapedPath()+q+" "+r.Header.Get("X-Extend-Api-Version"))
	s.body, s.ct = body, r.Header.Get("Content-Type")
}

func (s *seen) last() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.calls) == 0 {
		return ""
	}
	return s.calls[len(s.calls)-1]
}

// surfaceUpstream answers the 2026-02-09 shapes of the processor family, files and workflows.
func surfaceUpstream(s *seen) upstreamFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.record(r, b)
		p := r.URL.Path
		switch {
		case strings.HasPrefix(p, "/processor_runs/") && r.Method == http.MethodDelete:
			jsonReply(w, 200, `{"success":true,"documentProcessorRunId":"exr_1","message":"deleted"}`)
		case strings.HasPrefix(p, "/processor_runs"):
			jsonReply(w, 200, `{"success":true,"processorRun":{"object":"document_processor_run","id":"exr_1","status":"PENDING",`+
				`"output":null,"failureReason":null,"type":"EXTRACT","reviewed":false,"edited":false,"edits":{},"mergedProcessors":[],`+
				`"config":{"type":"EXTRACT","parser":{"blockOptions":{"text":{"agentic":{"enabled":true}}}}},"dataRetention":{"x":1},`+
				`"files":[{"object":"file","id":"file_1","name":"a.pdf","type":null,"presignedUrl":null,"parentFileId":null,"contents":null,`+
				`"metadata":{},"createdAt":"c","updatedAt":"u"}],"url":"https://d/x"}}`)
		case strings.HasPrefix(p, "/processors/"):
			jsonReply(w, 200, `{"success":true,"version":{"object":"document_processor_version","id":"exv_1","description":null,"config":{}}}`)
		case p == "/files/upload":
			jsonReply(w, 200, `{"object":"file","id":"file_up","name":"big.pdf","type":"PDF","presignedUrl":null,"parentFileId":null,`+
				`"contents":null,"metadata":{"pageCount":1},"createdAt":"c","updatedAt":"u"}`)
		case p == "/files":
			jsonReply(w, 200, `{"object":"list","data":[{"object":"file","id":"file_1","name":"a.pdf","type":"PDF","parentFileId":null,`+
				`"metadata":{},"createdAt":"c","updatedAt":"u"}],"nextPageToken":null}`)
		case strings.HasPrefix(p, "/files/") && r.Method == http.MethodDelete:
			jsonReply(w, 200, `{"id":"file_1"}`)
		case p == "/workflows":
			jsonReply(w, 200, `{"object":"workflow","id":"workflow_1","name":"W","draftVersion":{"version":"draft"},"createdBy":null}`)
		default:
			jsonReply(w, 404, `{"code":"NOT_FOUND","message":"no route","retryable":false}`)
		}
	}
}

func TestSurfaceRoutesTranslate(t *testing.T) {
	s := &seen{}
	e := newEnv(t, surfaceUpstream(s))
	for _, tc := range []struct {
		method, path, body string
		upstream           string
		check              map[string]string // gjson path → want (raw or string); "!" prefix: must be absent
	}{
		{"GET", "/processor_runs/exr_1", "", "GET /processor_runs/exr_1 2026-02-09",
			map[string]string{"processorRun.output": "null", "!processorRun.failureReason": "", "!processorRun.dataRetention": "",
				"processorRun.files.0.object": "file", "!processorRun.files.0.type": "", "!processorRun.files.0.contents": "",
				"processorRun.config.parser.advancedOptions.agenticOcrEnabled": "true", "!processorRun.config.parser.blockOptions.text.agentic": ""}},
		{"POST", "/processor_runs/exr_1/cancel", "", "POST /processor_runs/exr_1/cancel 2026-02-09",
			map[string]string{"success": "true", "processorRun.id": "exr_1"}},
		{"DELETE", "/processor_runs/exr_1", "", "DELETE /processor_runs/exr_1 2026-02-09",
			map[string]string{"documentProcessorRunId": "exr_1"}},
		{"GET", "/processors/ex_1/versions/exv%2F1", "", "GET /processors/ex_1/versions/exv%2F1 2026-02-09",
			map[string]string{"version.id": "exv_1", "!version.description": ""}},
		{"GET", "/files?nameContains=acme&maxPageSize=5", "", "GET /files?maxPageSize=5&nameContains=acme 2026-02-09",
			map[string]string{"success": "true", "files.0.id": "file_1", "!nextPageToken": "", "!files.0.parentFileId": ""}},
		{"DELETE", "/files/file_1", "", "DELETE /files/file_1 2026-02-09",
			map[string]string{"fileId": "file_1", "message": "File data has been successfully deleted."}},
		{"POST", "/workflows", `{"name":"W"}`, "POST /workflows 2026-02-09",
			map[string]string{"workflow.version": "draft", "workflow.object": "workflow", "!workflow.createdBy": ""}},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			res := e.legacy(tc.method, tc.path, tc.body)
			wantStatus(t, res, 200)
			if got := s.last(); got != tc.upstream {
				t.Errorf("upstream got %q, want %q", got, tc.upstream)
			}
			for p, want := range tc.check {
				if strings.HasPrefix(p, "!") {
					if res.get(p[1:]).Exists() {
						t.Errorf("%s present: %s", p[1:], res.body)
					}
					continue
				}
				if v := res.get(p); v.Raw != want && v.String() != want {
					t.Errorf("%s = %s, want %s (body %s)", p, v.Raw, want, res.body)
				}
			}
		})
	}
}

func TestProcessorRequestSanitised(t *testing.T) {
	s := &seen{}
	e := newEnv(t, surfaceUpstream(s))
	res := e.legacy("POST", "/processor_runs", `{"processorId":"ex_1","rawText":"x","config":{"type":"EXTRACT",`+
		`"advancedOptions":{"pageRanges":[{"end":2}]},"parser":{"advancedOptions":{"agenticOcrEnabled":true}}}}`)
	wantStatus(t, res, 200)
	if got := gjson.GetBytes(s.body, "config.parser.blockOptions.text.agentic.enabled").Raw; got != "true" {
		t.Errorf("agentic not sent: %s", s.body)
	}
	if gjson.GetBytes(s.body, "config.parser.advancedOptions.agenticOcrEnabled").Exists() || gjson.GetBytes(s.body, "config.advancedOptions.pageRanges.0.start").Int() != 1 {
		t.Errorf("request not sanitised: %s", s.body)
	}
	calls := len(s.calls)
	res = e.legacy("POST", "/processors/ex_1/publish", `{"releaseType":"minor","config":{"type":"CLASSIFY","advancedOptions":{"pageRanges":[{"start":3}]}}}`)
	wantStatus(t, res, 400)
	if !strings.Contains(res.get("error").String(), "config.advancedOptions.pageRanges[0].end") || len(s.calls) != calls {
		t.Errorf("open page range: %s, upstream calls %d → %d", res.body, calls, len(s.calls))
	}
	e2 := newEnv(t, surfaceUpstream(s), func(o *Options) { o.Translate.OpenPageRangeEnd = 9999 })
	wantStatus(t, e2.legacy("POST", "/processors/ex_1/publish", `{"releaseType":"minor","config":{"type":"CLASSIFY","advancedOptions":{"pageRanges":[{"start":3}]}}}`), 200)
	if gjson.GetBytes(s.body, "config.advancedOptions.pageRanges.0.end").Int() != 9999 {
		t.Errorf("configured open end not applied: %s", s.body)
	}
}

// multipartBody builds an upload of size bytes with the form field "file".
func multipartBody(t *testing.T, size int) (string, []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "big.pdf")
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	for n := 0; n < size; n += len(chunk) {
		fw.Write(chunk[:min(len(chunk), size-n)])
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

func TestFileUploadStreamsThrough(t *testing.T) {
	s := &seen{}
	e := newEnv(t, surfaceUpstream(s), func(o *Options) { o.MaxBodyBytes = 4 << 20 })
	ct, body := multipartBody(t, 3<<20)
	req, _ := http.NewRequest("POST", e.srv.URL+"/files/upload", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("X-Extend-Api-Version", "2025-04-21")
	req.Header.Set("Authorization", "Bearer k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out := readAllBody(resp)
	resp.Body.Close()
	if resp.StatusCode != 200 || gjson.GetBytes(out, "file.id").String() != "file_up" || gjson.GetBytes(out, "file.presignedUrl").Exists() {
		t.Fatalf("upload: %d %s", resp.StatusCode, out)
	}
	if sha256.Sum256(s.body) != sha256.Sum256(body) || s.ct != ct {
		t.Errorf("upstream got %d bytes (%s), want the client's %d bytes unchanged", len(s.body), s.ct, len(body))
	}
	// Over the limit: refused before any upstream call.
	calls := len(s.calls)
	ct, body = multipartBody(t, 5<<20)
	req, _ = http.NewRequest("POST", e.srv.URL+"/files/upload", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("X-Extend-Api-Version", "2025-04-21")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out = readAllBody(resp)
	resp.Body.Close()
	if resp.StatusCode != 413 || len(s.calls) != calls {
		t.Errorf("oversized upload: %d %s, upstream calls %d → %d", resp.StatusCode, out, calls, len(s.calls))
	}
	wantLegacyError(t, out)
	// Not multipart: a legacy 400.
	res := e.legacy("POST", "/files/upload", `{"file":"x"}`)
	wantStatus(t, res, 400)
	if len(s.calls) != calls {
		t.Errorf("a refused upload reached the upstream")
	}
}

func TestSurfaceUpstreamErrorsKeepLegacyShape(t *testing.T) {
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3")
		jsonReply(w, 429, fmt.Sprintf(`{"code":"RATE_LIMITED","message":"slow down on %s","retryable":true,"requestId":"r1"}`, r.URL.Path))
	}), func(o *Options) { o.Retry.MaxAttempts = 1 })
	res := e.legacy("GET", "/files/file_9", "")
	wantStatus(t, res, 429)
	if res.get("error").String() != "slow down on /files/file_9 (requestId r1)" || res.header.Get("Retry-After") != "3" {
		t.Errorf("got %s %v", res.body, res.header)
	}
}

// A shadowed file read compares the legacy answer with the translated one:
// the translation of a faithful 2026-02-09 answer matches, outside the
// documented lossy paths (presignedUrl, contents.markdown, usage).
func TestShadowedFileReadMatches(t *testing.T) {
	up := upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Extend-Api-Version") == "2025-04-21" {
			jsonReply(w, 200, `{"success":true,"file":{"object":"file","id":"file_1","name":"a.pdf","type":"PDF",`+
				`"presignedUrl":"https://old/x","contents":{"markdown":"# A"},"metadata":{"pageCount":1},"createdAt":"c","updatedAt":"u","usage":{"credits":1}}}`)
			return
		}
		jsonReply(w, 200, `{"object":"file","id":"file_1","name":"a.pdf","type":"PDF","presignedUrl":null,"parentFileId":null,`+
			`"contents":{"sections":[{"startPageNumber":1,"endPageNumber":1,"markdown":"# A"}]},"metadata":{"pageCount":1},"createdAt":"c","updatedAt":"u"}`)
	})
	rc := rollout.DefaultConfig()
	rc.DefaultMode = rollout.Shadow
	opt, _, sh := withModes(t, rc, shadowConfig())
	e := newEnv(t, up, opt)
	for i := 0; i < 3; i++ {
		wantStatus(t, e.legacy("GET", "/files/file_1", ""), 200)
	}
	rr := routeReport(drain(t, sh), "file.get")
	if rr.Totals["match"] != 3 || rr.Totals["mismatch"] != 0 {
		t.Fatalf("file.get shadow: %v, top paths %v (%s)", rr.Totals, rr.TopPaths, rr.LastError)
	}
}

// The access log line of a batch counts its inputs (set by the batch
// transform, not by a route-specific branch of the generic handler).
func TestBatchLogsItsFanout(t *testing.T) {
	e := newEnv(t, nil)
	wantStatus(t, e.legacy("POST", "/workflow_runs/batch", `{"workflowId":"workflow_fan","inputs":[`+
		`{"rawText":"a"},{"rawText":"b"},{"file":{"fileUrl":"https://x.example/c.pdf"}}]}`), 200)
	for _, l := range e.logs.FilterMessage("request").All() {
		if l.ContextMap()["route"] == "batch" {
			if got := l.ContextMap()["fanout"]; got != int64(3) {
				t.Fatalf("fanout = %v, want 3", got)
			}
			return
		}
	}
	t.Fatal("no access log line for the batch")
}
