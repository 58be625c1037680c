package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

const (
	testNewSecret    = "wss_new_secret_1"
	testLegacySecret = "wss_legacy_secret"
	testOutSecret    = "receiver-secret"
)

// receiver is a legacy receiver: it verifies every delivery with the
// destination secret and records the bodies. status decides each answer.
type receiver struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	bodies [][]byte
	hits   int
	status func(n int) (int, http.Header) // n counts requests from 1
	got    chan []byte
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{t: t, got: make(chan []byte, 10000)}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	rc.mu.Lock()
	rc.hits++
	n := rc.hits
	status := rc.status
	rc.mu.Unlock()
	if err := Verify(req.Header, body, []string{testOutSecret}, 5*time.Minute, time.Now()); err != nil {
		rc.t.Errorf("receiver: delivery fails verification: %v", err)
	}
	if ct := req.Header.Get("Content-Type"); ct != "application/json" {
		rc.t.Errorf("receiver: Content-Type %q", ct)
	}
	code := http.StatusOK
	if status != nil {
		var h http.Header
		code, h = status(n)
		for k, v := range h {
			w.Header()[k] = v
		}
	}
	if code/100 == 2 {
		rc.mu.Lock()
		rc.bodies = append(rc.bodies, body)
		rc.mu.Unlock()
		rc.got <- body
	}
	w.WriteHeader(code)
}

// wait returns the next delivered body or fails after d.
func (rc *receiver) wait(d time.Duration) []byte {
	rc.t.Helper()
	select {
	case b := <-rc.got:
		return b
	case <-time.After(d):
		rc.t.Fatalf("no delivery within %s", d)
		return nil
	}
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.bodies)
}

func (rc *receiver) requests() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.hits
}

// testConfig is one translate-mode destination "orders" pointing at url.
func testConfig(t *testing.T, url string) Config {
	cfg := DefaultConfig()
	cfg.Store = "sqlite:" + filepath.Join(t.TempDir(), "webhooks.db")
	cfg.Destinations = []Destination{{Name: "orders", URL: url, Secret: testOutSecret,
		NewSecrets: []Secret{testNewSecret}, LegacySecrets: []Secret{testLegacySecret},
		Retry: []Duration{0, Duration(20 * time.Millisecond), Duration(20 * time.Millisecond)}}}
	return cfg
}

// startRelay opens and starts a relay and serves its inbound handler.
func startRelay(t testing.TB, opt Options) (*Relay, *httptest.Server) {
	t.Helper()
	if opt.PollInterval == 0 {
		opt.PollInterval = 20 * time.Millisecond
	}
	r, err := New(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = r.Close(ctx)
	})
	return r, srv
}

// signedPost sends body signed with secret at ts to url.
func signedPost(t *testing.T, url, secret string, ts time.Time, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
		req.Header.Set(HeaderSignature, Sign(secret, ts.Unix(), body))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// event builds a 2026 (or legacy) event envelope.
func event(id, typ string, payload any) []byte {
	b, _ := json.Marshal(map[string]any{"eventId": id, "eventType": typ, "payload": payload})
	return b
}

// stats returns one destination's stats.
func stats(t *testing.T, r *Relay, name string) DestinationStats {
	t.Helper()
	all, err := r.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no stats for %s", name)
	return DestinationStats{}
}

// eventually polls cond until it holds or d passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// reserveAddr finds a free loopback port (nothing listens on it afterwards).
func reserveAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// listenOn listens on addr, retrying briefly while the port is released.
func listenOn(t *testing.T, addr string) net.Listener {
	t.Helper()
	for i := 0; ; i++ {
		l, err := net.Listen("tcp", addr)
		if err == nil {
			return l
		}
		if i > 50 {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
