package sim

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tidwall/gjson"
)

// serve calls the handler in-process (no network) for fuzzing.
func serve(s *Sim, version, method, target, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer k")
	req.Header.Set("x-extend-api-version", version)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return w
}

// FuzzHandlers checks the property "never panics, always answers JSON" over
// arbitrary bodies and queries on every endpoint of both versions.
func FuzzHandlers(f *testing.F) {
	for _, seed := range []string{
		`{"workflow":{"id":"workflow_a"},"file":{"url":"https://x.org/a.pdf"}}`,
		`{"workflow":{"id":"workflow_a"},"inputs":[{"file":{"text":"t"}}]}`,
		`{"workflow":{"id":"workflow_a"},"package":{"files":[{"id":"a"},{"url":"u"}]}}`,
		`{"workflow":{"id":"workflow_a"},"file":{"id":"x"},"outputs":[{"processorId":"spl_Qq3Ww5Ee7Rr9Tt1Yy3Uu","output":{"splits":[{"classificationId":"a","type":"a","startPage":1,"endPage":99999999999}]}}]}`,
		`{"workflowId":"workflow_a","files":[{"fileUrl":"https://x.org/a.pdf","fileName":"a.pdf"}],"rawTexts":["x"]}`,
		`{"name":"n","metadata":{"a":1}}`, `{"reviewedOutput":{"a":1}}`, `[]`, `null`, `{"workflow":{"id":"workflow_\u0000"}}`,
	} {
		f.Add(seed, "status=PROCESSED&maxPageSize=2")
	}
	s := New(Options{MaxRuns: 50})
	f.Fuzz(func(t *testing.T, body, query string) {
		targets := []struct{ method, path string }{
			{"POST", "/workflow_runs"}, {"POST", "/workflow_runs/batch"}, {"GET", "/workflow_runs?" + query},
			{"POST", "/workflow_runs/workflow_run_x"}, {"POST", "/workflow_runs/x/cancel"},
			{"POST", "/workflow_runs/x/outputs/y"},
		}
		for _, v := range []string{newVersion, legacyVersion} {
			for _, tg := range targets {
				if strings.ContainsAny(tg.path, " \r\n\t#") || !strings.HasPrefix(tg.path, "/") {
					continue
				}
				w := serve(s, v, tg.method, "http://sim"+safePath(tg.path), body)
				if w.Body.Len() > 0 && !gjson.ValidBytes(w.Body.Bytes()) {
					t.Fatalf("%s %s: invalid JSON answer %q", tg.method, tg.path, w.Body.String())
				}
			}
		}
	})
}

// safePath escapes what httptest.NewRequest would refuse in a fuzzed query.
func safePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if r < 0x21 || r > 0x7e || r == '%' {
			fmt.Fprintf(&b, "%%%02X", r&0xff)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestConcurrentUse(t *testing.T) {
	e := newEnv(t, Options{MaxRuns: 40})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				w := serve(e.sim, newVersion, "POST", "/workflow_runs", `{"workflow":{"id":"workflow_c"},"file":{"id":"f"}}`)
				id := gjson.Get(w.Body.String(), "id").String()
				serve(e.sim, newVersion, "GET", "/workflow_runs/"+id, "")
				serve(e.sim, newVersion, "GET", "/workflow_runs?maxPageSize=5", "")
				serve(e.sim, newVersion, "POST", "/workflow_runs/"+id, `{"metadata":{"i":1}}`)
				serve(e.sim, newVersion, "POST", "/workflow_runs/"+id+"/cancel", "")
				if i%2 == 0 {
					serve(e.sim, newVersion, "DELETE", "/workflow_runs/"+id, "")
				}
				e.clock.Advance(100e6)
			}
		}()
	}
	wg.Wait()
	if n := e.sim.RunCount(); n > 40 {
		t.Errorf("RunCount %d above MaxRuns", n)
	}
	if got := len(e.sim.Requests()); got != 8*15*5+8*8 {
		t.Errorf("recorded %d requests", got)
	}
	if w := serve(e.sim, newVersion, "GET", "/workflow_runs?maxPageSize=100", ""); w.Code != http.StatusOK {
		t.Errorf("list after load: %d", w.Code)
	}
}
