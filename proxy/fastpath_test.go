package proxy

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/tidwall/gjson"
)

// TestReadBodySized: the announced length only sizes the buffer; what is
// read is what the body holds, up to max+1 bytes, however it arrives.
func TestReadBodySized(t *testing.T) {
	body := strings.Repeat("x", 5000)
	for _, c := range []struct {
		name        string
		length, max int64
		want        int
	}{
		{"exact length", 5000, 1 << 20, 5000},
		{"unknown length", -1, 1 << 20, 5000},
		{"announced shorter than sent", 10, 1 << 20, 5000},
		{"announced longer than sent", 9000, 1 << 20, 5000},
		{"over the cap", 5000, 100, 101},
		{"unknown length over the cap", -1, 100, 101},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, r := range []io.Reader{strings.NewReader(body), iotest.OneByteReader(strings.NewReader(body))} {
				got, err := readBodySized(r, c.length, c.max)
				if err != nil || len(got) != c.want || strings.Trim(string(got), "x") != "" {
					t.Fatalf("got %d bytes (err %v), want %d", len(got), err, c.want)
				}
				recycleBody(got)
			}
		})
	}
	if _, err := readBodySized(iotest.ErrReader(io.ErrUnexpectedEOF), 10, 100); err != io.ErrUnexpectedEOF {
		t.Fatalf("read error lost: %v", err)
	}
}

// TestRecycledBodiesDoNotLeak: many concurrent translated GETs of different
// runs through the real proxy, with upstream bodies recycled after each
// translation: every client gets its own run, never bytes of another's.
func TestRecycledBodiesDoNotLeak(t *testing.T) {
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/workflow_runs/")
		// Bodies of different sizes, so recycled buffers are reused with stale tails.
		pad := strings.Repeat("p", len(id)*97%3000)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"object":"workflow_run","id":"`+id+`","status":"PROCESSED","metadata":{"pad":"`+pad+`"},`+
			`"files":[],"stepRuns":[],"initialRunAt":"2026-01-01T00:00:00.000Z","reviewed":false}`)
	})
	e := newEnv(t, upstream)
	var wg sync.WaitGroup
	errs := make(chan string, 400)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				id := "run_" + strings.Repeat("a", g) + "_" + string(rune('a'+i%26)) + strings.Repeat("z", i)
				req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/workflow_runs/"+id, nil)
				req.Header.Set("X-Extend-Api-Version", "2025-04-21")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err.Error()
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if got := gjson.GetBytes(b, "workflowRun.id").String(); resp.StatusCode != 200 || got != id ||
					!bytes.Contains(b, []byte(`"metadata":{"pad":"`)) {
					errs <- "wanted " + id + ", got " + got + ": " + string(b[:min(len(b), 200)])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
