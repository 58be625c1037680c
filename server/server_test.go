package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
	"go.uber.org/zap"

	"github.com/extend-compat-proxy/extend-compat-proxy/config"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func testConfig() config.Config {
	cfg := config.Default()
	cfg.Listen, cfg.AdminListen, cfg.Upstream, cfg.SimListen = "127.0.0.1:0", "127.0.0.1:0", "sim", "127.0.0.1:0"
	cfg.Simulator.PendingFor, cfg.Simulator.ProcessFor = config.D(10*time.Millisecond), config.D(50*time.Millisecond)
	return cfg
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	s, err := Open(testConfig(), zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	if code, _ := get(t, "http://"+s.Addr("proxy")+"/healthz"); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, body := get(t, "http://"+s.Addr("admin")+"/readyz")
		if code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("never ready: %s", body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	req, _ := http.NewRequest("GET", "http://"+s.Addr("proxy")+"/workflow_runs", nil)
	req.Header.Set("Authorization", "Bearer k")
	req.Header.Set("X-Extend-Api-Version", "2025-04-21")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("list through the proxy: %v %v", err, resp)
	}
	resp.Body.Close()
	_, metrics := get(t, "http://"+s.Addr("admin")+"/metrics")
	for _, want := range []string{
		`extend_compat_requests_total{code="200",mode="translated",route="list"} 1`,
		"extend_compat_request_duration_seconds_bucket", "extend_compat_upstream_request_duration_seconds_bucket",
		"extend_compat_in_flight_requests",
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	s.Proxy.SetDraining(true)
	if code, _ := get(t, "http://"+s.Addr("admin")+"/readyz"); code != 503 {
		t.Fatalf("readyz while draining %d, want 503", code)
	}
}

func TestBindErrorSurfaces(t *testing.T) {
	s, err := Open(testConfig(), zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	cfg := testConfig()
	cfg.Listen = s.Addr("proxy")
	if s2, err := Open(cfg, zap.NewNop()); err == nil {
		s2.Close(context.Background())
		t.Fatal("second bind on the same address succeeded")
	}
}

// Load keeps arriving while the server shuts down: every request the server
// accepted completes with 200 (slow fan-outs included); later ones are refused
// at connect time, never cut off halfway.
func TestGracefulShutdownUnderLoad(t *testing.T) {
	s, err := Open(testConfig(), zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + s.Addr("proxy") + "/workflow_runs"
	body := `{"workflowId":"workflow_delay_150","rawTexts":["a","b","c"]}`
	var ok, refused, bad atomic.Int32
	var badMsg atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest("POST", url, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer k")
				resp, err := client.Do(req)
				switch {
				case err != nil && errors.Is(err, syscall.ECONNREFUSED):
					refused.Add(1)
				case err != nil:
					bad.Add(1)
					badMsg.Store(err.Error())
				default:
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode == 200 {
						ok.Add(1)
					} else {
						bad.Add(1)
						badMsg.Store(resp.Status)
					}
				}
			}
		}()
	}
	time.Sleep(400 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	time.Sleep(50 * time.Millisecond)
	close(stop)
	wg.Wait()
	if bad.Load() != 0 {
		t.Fatalf("%d requests dropped or failed during shutdown (last: %v); %d ok", bad.Load(), badMsg.Load(), ok.Load())
	}
	if ok.Load() == 0 || refused.Load() == 0 {
		t.Fatalf("test did not exercise shutdown: ok=%d refused=%d", ok.Load(), refused.Load())
	}
}
