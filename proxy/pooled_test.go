package proxy

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/tidwall/gjson"
)

// TestPooledAnswersStayIntact: translated answers are built in pooled buffers
// handed back after the answer is written (translate.Context.Release). Many
// concurrent reads of runs of different sizes, each through real HTTP, must
// each get exactly its own answer: a buffer reused too early would mix them.
func TestPooledAnswersStayIntact(t *testing.T) {
	runs := map[string][]byte{}
	for _, name := range []string{"run-20kb", "run-217kb"} {
		b, err := os.ReadFile("../translate/testdata/perf/" + name + ".new.json")
		if err != nil {
			t.Fatal(err)
		}
		runs[name] = b
	}
	small := gjson.GetBytes(mustRead(t, "../translate/testdata/create_response.new.json"), "0").Raw
	runs["small"] = []byte(small)
	e := newEnv(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(runs[strings.TrimPrefix(r.URL.Path, "/workflow_runs/")])
	}))
	want := map[string][]byte{}
	for name := range runs {
		res := e.legacy("GET", "/workflow_runs/"+name, "")
		wantStatus(t, res, http.StatusOK)
		if !gjson.ValidBytes(res.body) || res.get("workflowRun.id").Str == "" {
			t.Fatalf("%s: not a legacy run: %.80q", name, res.body)
		}
		want[name] = res.body
	}
	names := []string{"run-20kb", "run-217kb", "small"}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 40 {
				name := names[(g+i)%len(names)]
				got, err := legacyGet(e.srv.URL + "/workflow_runs/" + name)
				if err == nil && !bytes.Equal(got, want[name]) {
					err = fmt.Errorf("answer for %s differs from the one served alone (%d vs %d bytes)", name, len(got), len(want[name]))
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func legacyGet(url string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer sk_test_secret_token_123")
	req.Header.Set("X-Extend-Api-Version", "2025-04-21")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
