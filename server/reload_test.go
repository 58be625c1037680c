package server

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/extend-compat-proxy/extend-compat-proxy/config"
)

func writeConfig(t *testing.T, path, extra string) {
	t.Helper()
	doc := "listen: \"127.0.0.1:0\"\nadminListen: \"127.0.0.1:0\"\nupstream: \"sim\"\nsimulator:\n  pendingFor: \"10ms\"\n  processFor: \"50ms\"\n" + extra
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil { // the way editors and ConfigMaps replace files
		t.Fatal(err)
	}
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Editing the file reloads the rollout live while requests keep flowing; a bad
// edit keeps the running configuration and logs why.
func TestReloadOnFileChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	writeConfig(t, path, "")
	load := func() (config.Config, error) { return config.Load(path) }
	cfg, err := load()
	if err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(zap.InfoLevel)
	s, err := Open(cfg, zap.New(core))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); s.Close(context.Background()) }()
	if err := s.WatchConfig(ctx, path, load); err != nil {
		t.Fatal(err)
	}

	var failures atomic.Int32
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // load during the reloads: nothing may fail
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			req, _ := http.NewRequest("GET", "http://"+s.Addr("proxy")+"/workflow_runs", nil)
			req.Header.Set("Authorization", "Bearer k")
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != 200 {
				failures.Add(1)
			}
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
	}()

	writeConfig(t, path, "rollout:\n  killSwitch: true\n")
	eventually(t, "the kill switch to be reloaded", func() bool { return s.Rollout.Status().KillSwitch })

	writeConfig(t, path, "rollout:\n  killSwitch: false\n  defaultMode: sideways\n")
	eventually(t, "the bad reload to be refused", func() bool {
		return logs.FilterMessage("reload refused; keeping the running configuration").Len() > 0
	})
	if !s.Rollout.Status().KillSwitch {
		t.Fatal("a refused reload changed the running configuration")
	}
	refused := logs.FilterMessage("reload refused; keeping the running configuration").All()[0]
	if !strings.Contains(refused.ContextMap()["error"].(string), "defaultMode") {
		t.Fatalf("refusal does not say why: %v", refused.ContextMap())
	}

	writeConfig(t, path, "fanOutConcurrency: 4\nrollout:\n  killSwitch: false\n")
	eventually(t, "the third reload", func() bool { return !s.Rollout.Status().KillSwitch })
	close(stop)
	wg.Wait()
	if failures.Load() != 0 {
		t.Fatalf("%d requests failed during reloads", failures.Load())
	}
	if logs.FilterMessage("reloaded; these changes need a restart to take effect").Len() == 0 {
		t.Fatal("a restart-only change was not reported")
	}
}

// Regression (issue 12.3): Reload read and wrote s.cfg without a lock, so a
// SIGHUP during a file-watcher reload raced and could mix two loads' settings.
func TestConcurrentReloadsAreSerialised(t *testing.T) {
	cfg := testConfig()
	s, err := Open(cfg, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	var wg sync.WaitGroup
	for i := 0; i < 64; i++ {
		next := cfg
		next.Rollout.KillSwitch = i%2 == 0
		next.Shadow.WriteSampleRate = float64(i%2) / 2
		wg.Add(2)
		go func() { defer wg.Done(); _ = s.Reload(next) }()
		go func() { defer wg.Done(); _ = s.ReloadFrom(func() (config.Config, error) { return next, nil }) }()
	}
	wg.Wait()
	// Every load paired kill switch on with sample rate 0: the survivor must be one whole load.
	s.reloadMu.Lock()
	kill, rate := s.cfg.Rollout.KillSwitch, s.cfg.Shadow.WriteSampleRate
	s.reloadMu.Unlock()
	if kill != (rate == 0) {
		t.Fatalf("reloads mixed: killSwitch=%v with sampleRate=%v", kill, rate)
	}
}
