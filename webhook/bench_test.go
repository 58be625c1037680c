package webhook

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// benchReceiver records when each event arrived.
type benchReceiver struct {
	srv  *httptest.Server
	mu   sync.Mutex
	at   map[string]time.Time
	done chan struct{}
	want int
}

func newBenchReceiver(b *testing.B, want int) *benchReceiver {
	br := &benchReceiver{at: make(map[string]time.Time, want), done: make(chan struct{}), want: want}
	br.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		id := gjson.GetBytes(body, "eventId").Str
		br.mu.Lock()
		if _, dup := br.at[id]; !dup {
			br.at[id] = time.Now()
			if len(br.at) == br.want {
				close(br.done)
			}
		}
		br.mu.Unlock()
	}))
	b.Cleanup(br.srv.Close)
	return br
}

func benchStore(b *testing.B, kind string) string {
	if kind == "postgres" {
		return pgDatabase(b)
	}
	return "sqlite:" + filepath.Join(b.TempDir(), "bench.db")
}

// BenchmarkRelayThroughput accepts b.N events from 8 concurrent senders and
// waits until all are delivered: events/s is accepted-and-delivered per second.
func BenchmarkRelayThroughput(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			br := newBenchReceiver(b, b.N)
			cfg := DefaultConfig()
			cfg.Store = benchStore(b, kind)
			cfg.Destinations = []Destination{childDestination(br.srv.URL)}
			_, srv := startRelay(b, Options{Config: cfg})
			b.ResetTimer()
			start := time.Now()
			sendEvents(b, srv.URL, b.N, 8, 0, nil)
			<-br.done
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
		})
	}
}

// BenchmarkRelayLatency sends events at a fixed rate and reports the p50 and
// p99 time from acceptance (the 200) to arrival at the receiver.
func BenchmarkRelayLatency(b *testing.B) {
	for _, c := range []struct {
		kind string
		rate int
	}{{"sqlite", 100}, {"postgres", 100}, {"postgres", 500}} {
		b.Run(fmt.Sprintf("%s/%dps", c.kind, c.rate), func(b *testing.B) {
			n := max(b.N, 200)
			br := newBenchReceiver(b, n)
			cfg := DefaultConfig()
			cfg.Store = benchStore(b, c.kind)
			cfg.Destinations = []Destination{childDestination(br.srv.URL)}
			_, srv := startRelay(b, Options{Config: cfg})
			accepted := make(map[string]time.Time, n)
			var mu sync.Mutex
			b.ResetTimer()
			sendEvents(b, srv.URL, n, 32, time.Second/time.Duration(c.rate), func(id string, at time.Time) {
				mu.Lock()
				accepted[id] = at
				mu.Unlock()
			})
			<-br.done
			b.StopTimer()
			var lat []time.Duration
			br.mu.Lock()
			for id, at := range br.at {
				lat = append(lat, max(at.Sub(accepted[id]), 0))
			}
			br.mu.Unlock()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// sendEvents posts n signed events with the given concurrency, one every
// interval (0: as fast as possible); accepted is called after each 200.
func sendEvents(b *testing.B, base string, n, conc int, interval time.Duration, accepted func(string, time.Time)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, conc)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	next := time.Now()
	for i := 0; i < n; i++ {
		if interval > 0 {
			next = next.Add(interval)
			time.Sleep(time.Until(next))
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			id := fmt.Sprintf("bench-%d", i)
			body := event(id, "parse_run.processed", map[string]any{"object": "parse_run_status", "id": id, "status": "PROCESSED"})
			req, _ := http.NewRequest(http.MethodPost, base+"/webhooks/orders", bytes.NewReader(body))
			SignHeaders(req.Header, testNewSecret, time.Now(), body)
			resp, err := client.Do(req)
			if err != nil || resp.StatusCode != 200 {
				b.Errorf("%s: %v %v", id, err, resp)
				return
			}
			resp.Body.Close()
			if accepted != nil {
				accepted(id, time.Now())
			}
		}(i)
	}
	wg.Wait()
}
