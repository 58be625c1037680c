package sim

import (
	"strings"
	"sync"
	"testing"

	"github.com/tidwall/gjson"
)

// FuzzSurfaceHandlers checks "never panics, never 5xx, always JSON" over
// arbitrary bodies and queries on every non-workflow-run endpoint of both versions.
func FuzzSurfaceHandlers(f *testing.F) {
	for _, seed := range []string{
		`{"file":{"url":"https://x.org/a.pdf"},"config":{"advancedOptions":{"pageRanges":[{"start":1,"end":2}]}}}`,
		`{"file":{"fileUrl":"https://x.org/a.pdf"},"config":{"advancedOptions":{"agenticOcrEnabled":true,"pageRanges":[{}]}}}`,
		`{"processorId":"ex_Ee4Rr6Tt8Yy0Uu2Ii4Oo","rawText":"x","config":{"type":"EXTRACT","parser":{}}}`,
		`{"name":"n","type":"SPLITTER","config":{"type":"SPLITTER","splitClassifications":[{"id":"a","type":"a","description":"d"}]}}`,
		`{"name":"n","entityId":"cl_Mm1Nn3Bb5Vv7Cc9Xx1Zz","processorId":"x","description":"d"}`,
		`{"items":[{"fileId":"f","expectedOutput":{"splits":[{"classificationId":"a","type":"a","startPage":1,"endPage":1e400}]}}]}`,
		`{"evaluationSetId":"e","fileId":"f","expectedOutput":{"a":{"id":"a"}}}`, `{"releaseType":"major","config":null}`,
		`{"name":"w","steps":[{"name":"t","type":"TRIGGER"}]}`, `[]`, `null`, `{"expectedOutput":[]}`,
	} {
		f.Add(seed, "maxPageSize=2&sortBy=updatedAt&rawText=true")
	}
	s := New(Options{MaxRuns: 50})
	paths := []struct{ method, path string }{
		{"GET", "/files"}, {"GET", "/files/file_x"}, {"POST", "/parse"}, {"POST", "/parse_runs"}, {"POST", "/parse/async"},
		{"GET", "/parse_runs/pr_x"}, {"GET", "/parser_runs/pr_x"}, {"GET", "/processors"}, {"POST", "/processors"},
		{"POST", "/processors/" + ExtractorID}, {"POST", "/processors/" + SplitterID + "/publish"}, {"GET", "/processor_runs"},
		{"POST", "/processor_runs"}, {"GET", "/evaluation_sets"}, {"POST", "/evaluation_sets"}, {"POST", "/evaluation_set_items"},
		{"POST", "/evaluation_set_items/bulk"}, {"POST", "/evaluation_sets/evs_x/items"}, {"POST", "/workflows"},
	}
	f.Fuzz(func(t *testing.T, body, query string) {
		for _, v := range []string{newVersion, legacyVersion} {
			for _, p := range paths {
				target := p.path
				if p.method == "GET" {
					target += "?" + query
				}
				if strings.ContainsAny(target, " \r\n\t#") {
					continue
				}
				w := serve(s, v, p.method, "http://sim"+safePath(target), body)
				if w.Code >= 500 || (w.Body.Len() > 0 && !gjson.ValidBytes(w.Body.Bytes())) {
					t.Fatalf("%s %s %s: %d %q", v, p.method, target, w.Code, w.Body.String())
				}
			}
		}
	})
}

// TestSurfaceConcurrentUse drives every resource from several goroutines
// (meaningful under -race) and checks the stores stay within MaxRuns.
func TestSurfaceConcurrentUse(t *testing.T) {
	e := newEnv(t, Options{MaxRuns: 30})
	set := gjson.Get(serve(e.sim, newVersion, "POST", "/evaluation_sets", `{"name":"s","entityId":"`+ClassifierID+`"}`).Body.String(), "id").String()
	var wg sync.WaitGroup
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 12; i++ {
				w := serve(e.sim, legacyVersion, "POST", "/parse", `{"file":{"fileUrl":"https://f.example.org/a.pdf"}}`)
				fid := gjson.Get(w.Body.String(), "fileId").String()
				serve(e.sim, newVersion, "GET", "/files?maxPageSize=5", "")
				serve(e.sim, newVersion, "POST", "/processor_runs", `{"processorId":"`+ClassifierID+`","file":{"fileId":"`+fid+`"}}`)
				serve(e.sim, legacyVersion, "GET", "/processor_runs?maxPageSize=5", "")
				serve(e.sim, legacyVersion, "POST", "/evaluation_set_items", `{"evaluationSetId":"`+set+`","fileId":"`+fid+`","expectedOutput":{"id":"a","type":"a"}}`)
				serve(e.sim, newVersion, "GET", "/evaluation_sets/"+set+"/items?maxPageSize=3", "")
				serve(e.sim, newVersion, "POST", "/processors", `{"name":"p","type":"EXTRACT"}`)
				e.clock.Advance(50e6)
			}
		}()
	}
	wg.Wait()
	e.sim.mu.Lock()
	defer e.sim.mu.Unlock()
	if _, ok := e.sim.st.processors.get(ExtractorID); !ok {
		t.Errorf("a seeded processor was evicted")
	}
	for name, n := range map[string]int{"files": len(e.sim.st.files.m), "parse runs": len(e.sim.st.parseRuns.m),
		"processor runs": len(e.sim.st.procRuns.m), "items": len(e.sim.st.evalItems.m), "processors": len(e.sim.st.processors.m) - 4} {
		if n > 30 || n <= 0 {
			t.Errorf("%s: %d stored, want 1..30", name, n)
		}
	}
}
