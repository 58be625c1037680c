package server

import (
	"context"
	"net/http"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/extend-compat-proxy/extend-compat-proxy/internal/load"
)

// TestLoopbackLoad is the bounded load test: a fixed number of legacy reads
// through the proxy, side by side with the same reads sent straight to the
// simulator. It requires zero errors and reports throughput as a ratio (the
// machines are noisy, so no absolute threshold is asserted).
func TestLoopbackLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped in -short mode")
	}
	s, err := Open(testConfig(), zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}, Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	h := http.Header{"Authorization": {"Bearer load"}, "Content-Type": {"application/json"}}
	create := h.Clone()
	create.Set("X-Extend-Api-Version", "2025-04-21")
	seed := load.Run(context.Background(), client, load.Request{Method: "POST", URL: "http://" + s.Addr("proxy") + "/workflow_runs",
		Body: []byte(`{"workflowId":"workflow_load","rawTexts":["a","b","c","d","e"]}`), Header: create}, 20, 4, 30*time.Second)
	if seed.Errors != 0 {
		t.Fatalf("seeding: %s (%s)", seed, seed.FirstErr)
	}
	legacy := create.Clone()
	direct := h.Clone()
	direct.Set("X-Extend-Api-Version", "2026-02-09")
	const n, c = 1500, 8
	viaProxy := load.Run(context.Background(), client, load.Request{Method: "GET",
		URL: "http://" + s.Addr("proxy") + "/workflow_runs?maxPageSize=20", Header: legacy}, n, c, 60*time.Second)
	viaSim := load.Run(context.Background(), client, load.Request{Method: "GET",
		URL: "http://" + s.Addr("sim") + "/workflow_runs?maxPageSize=20", Header: direct}, n, c, 60*time.Second)
	t.Logf("legacy list through the proxy: %s", viaProxy)
	t.Logf("same list straight to the sim: %s", viaSim)
	if viaSim.PerSecond > 0 {
		t.Logf("proxy/direct throughput ratio: %.2f", viaProxy.PerSecond/viaSim.PerSecond)
	}
	if viaProxy.Errors != 0 || viaSim.Errors != 0 {
		t.Fatalf("errors under load: proxy %d (%s), direct %d (%s)", viaProxy.Errors, viaProxy.FirstErr, viaSim.Errors, viaSim.FirstErr)
	}
	if viaProxy.Requests != n {
		t.Fatalf("only %d of %d requests completed within the cap", viaProxy.Requests, n)
	}
}
