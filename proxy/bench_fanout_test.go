package proxy

import (
	"bytes"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkFanOut50Files sends a legacy create of 50 files through the proxy
// (real HTTP on loopback) to an upstream that takes 100 ms per create. Issue
// 11's goal: done within 1.2 × ceil(50/C) × 100 ms for fan-out concurrency C;
// x_bound reports the measured time over ceil(50/C) × 100 ms (goal ≤ 1.2).
func BenchmarkFanOut50Files(b *testing.B) {
	const files, latency = 50, 100 * time.Millisecond
	var n atomic.Int64
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		time.Sleep(latency)
		id := "workflow_run_" + strconv.FormatInt(n.Add(1), 10)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"object":"workflow_run","id":"`+id+`","status":"PENDING","metadata":{},"files":[],`+
			`"stepRuns":[],"reviewed":false,"initialRunAt":null}`)
	}))
	defer upstream.Close()
	parts := make([]string, files)
	for i := range parts {
		parts[i] = `{"fileUrl":"https://files.example.org/` + strconv.Itoa(i) + `.pdf"}`
	}
	body := []byte(`{"workflowId":"workflow_1","files":[` + strings.Join(parts, ",") + `]}`)
	for _, c := range []int{10, 25, 50} {
		b.Run("concurrency="+strconv.Itoa(c), func(b *testing.B) {
			u, _ := url.Parse(upstream.URL)
			p, err := New(Options{Upstream: u, FanOutConcurrency: c})
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(p)
			defer srv.Close()
			start, ops := time.Now(), 0
			for b.Loop() {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/workflow_runs", bytes.NewReader(body))
				req.Header.Set("X-Extend-Api-Version", "2025-04-21")
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				out, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || bytes.Count(out, []byte(`"object":"workflow_run"`)) != files {
					b.Fatalf("status %d: %.200s", resp.StatusCode, out)
				}
				ops++
			}
			bound := time.Duration(math.Ceil(float64(files)/float64(c))) * latency
			b.ReportMetric(float64(time.Since(start)/time.Duration(ops))/float64(bound), "x_bound")
		})
	}
}
