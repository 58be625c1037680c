package webhook

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// TestMetricLabelsBounded: thousands of distinct event types (unknown, or
// step runs of made-up types) leave the metric series count small and fixed.
func TestMetricLabelsBounded(t *testing.T) {
	rc := newReceiver(t)
	reg := prometheus.NewRegistry()
	_, srv := startRelay(t, Options{Config: testConfig(t, rc.srv.URL), Registerer: reg})
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := 0; i < 2000; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			typ, payload := fmt.Sprintf("made.up.type_%d", i), map[string]any{"id": "x"}
			if i%2 == 0 {
				typ, payload = "workflow_run.step_run.processed", map[string]any{"id": "s", "status": "PROCESSED",
					"stepType": fmt.Sprintf("TYPE_%d", i)}
			}
			if code, b := signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), event(fmt.Sprintf("e%d", i), typ, payload)); code != 200 {
				t.Errorf("%d %s", code, b)
			}
		}(i)
	}
	wg.Wait()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	series := 0
	for _, mf := range mfs {
		series += len(mf.GetMetric())
	}
	if series > 30 {
		t.Fatalf("%d metric series after 2000 distinct event types", series)
	}
}
