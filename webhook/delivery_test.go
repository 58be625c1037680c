package webhook

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

func TestScheduledDelay(t *testing.T) {
	sched := []Duration{0, Duration(5 * time.Second), Duration(time.Minute)}
	for _, c := range []struct {
		attempt int
		jitter  float64
		want    time.Duration
	}{
		{1, 0, 5 * time.Second},
		{1, 0.999999, 5*time.Second + 499999*time.Microsecond},
		{2, 0.5, 63 * time.Second},
		{7, 0, time.Minute}, // past the end (re-driven): the last entry
	} {
		if got := scheduledDelay(sched, c.attempt, c.jitter); got.Round(time.Millisecond) != c.want.Round(time.Millisecond) {
			t.Errorf("attempt %d jitter %v: %s, want %s", c.attempt, c.jitter, got, c.want)
		}
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{"": 0, "7": 7 * time.Second, "-3": 0, "soon": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second} {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("Retry-After %q: %s, want %s", v, got, want)
		}
	}
}

// TestDeliveryTranslatesAndSigns: a 2026 event becomes the golden legacy event at the receiver.
func TestDeliveryTranslatesAndSigns(t *testing.T) {
	rc := newReceiver(t)
	r, srv := startRelay(t, Options{Config: testConfig(t, rc.srv.URL)})
	if code, b := signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(),
		goldenEvent(t, "extract_run_processed")); code != 200 || b != `{"received":true}`+"\n" {
		t.Fatalf("%d %s", code, b)
	}
	checkGolden(t, "testdata/golden/extract_run_processed.legacy.json", rc.wait(5*time.Second))
	eventually(t, 5*time.Second, "delivered count", func() bool { return stats(t, r, "orders").Delivered == 1 })
}

// TestReceiverAlways500 runs a compressed schedule to the dead state, then
// re-drives the event through the admin endpoint once the receiver recovers.
func TestReceiverAlways500(t *testing.T) {
	rc := newReceiver(t)
	var mu sync.Mutex
	failing := true
	rc.status = func(int) (int, http.Header) {
		mu.Lock()
		defer mu.Unlock()
		if failing {
			return 500, nil
		}
		return 204, nil
	}
	cfg := testConfig(t, rc.srv.URL)
	r, srv := startRelay(t, Options{Config: cfg})
	admin := httptest.NewServer(r.AdminHandler())
	defer admin.Close()
	signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), goldenEvent(t, "parse_run_failed"))
	eventually(t, 10*time.Second, "dead", func() bool { return stats(t, r, "orders").Dead == 1 })
	if n := rc.requests(); n != len(cfg.Destinations[0].Retry) {
		t.Fatalf("%d attempts, want one per retry entry (%d)", n, len(cfg.Destinations[0].Retry))
	}
	s := stats(t, r, "orders")
	if len(s.LastErrors) != 1 || s.LastErrors[0].Status != 500 || s.LastErrors[0].EventID != "evt_parse_run_failed" ||
		s.LastErrors[0].Attempt != 3 || s.LastErrors[0].EventType != "parser_run.failed" {
		t.Fatalf("lastErrors %+v", s.LastErrors)
	}
	mu.Lock()
	failing = false
	mu.Unlock()
	resp, err := http.Post(admin.URL+"/admin/webhooks/redrive", "application/json",
		strings.NewReader(`{"destination":"orders","eventId":"evt_parse_run_failed"}`))
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]int
	_ = json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if out["requeued"] != 1 {
		t.Fatalf("redrive answered %v", out)
	}
	got := rc.wait(5 * time.Second)
	if gjson.GetBytes(got, "eventId").Str != "evt_parse_run_failed" {
		t.Fatalf("delivered %s", got)
	}
	eventually(t, 5*time.Second, "delivered", func() bool { s := stats(t, r, "orders"); return s.Delivered == 1 && s.Dead == 0 })
}

// TestGoneStopsRetries: a 410 makes the event dead at once, with its reason.
func TestGoneStopsRetries(t *testing.T) {
	rc := newReceiver(t)
	rc.status = func(int) (int, http.Header) { return 410, nil }
	r, srv := startRelay(t, Options{Config: testConfig(t, rc.srv.URL)})
	signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), goldenEvent(t, "workflow_deleted"))
	eventually(t, 5*time.Second, "dead", func() bool { return stats(t, r, "orders").Dead == 1 })
	time.Sleep(150 * time.Millisecond)
	if n := rc.requests(); n != 1 {
		t.Fatalf("%d attempts after a 410, want 1", n)
	}
	if e := stats(t, r, "orders").LastErrors; len(e) != 1 || e[0].Status != 410 || !strings.Contains(e[0].Error, "410") {
		t.Fatalf("lastErrors %+v", e)
	}
}

// TestRedirectNotFollowed: a 302 is a failed attempt; the target is never called.
func TestRedirectNotFollowed(t *testing.T) {
	other := newReceiver(t)
	rc := newReceiver(t)
	rc.status = func(int) (int, http.Header) { return 302, http.Header{"Location": {other.srv.URL}} }
	r, srv := startRelay(t, Options{Config: testConfig(t, rc.srv.URL)})
	signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), goldenEvent(t, "workflow_created"))
	eventually(t, 10*time.Second, "dead", func() bool { return stats(t, r, "orders").Dead == 1 })
	if other.requests() != 0 {
		t.Fatal("the redirect was followed")
	}
}

// TestRetryAfterReplacesDelay: a longer Retry-After delays the next attempt.
func TestRetryAfterReplacesDelay(t *testing.T) {
	rc := newReceiver(t)
	var mu sync.Mutex
	var at []time.Time
	rc.status = func(n int) (int, http.Header) {
		mu.Lock()
		at = append(at, time.Now())
		mu.Unlock()
		if n == 1 {
			return 503, http.Header{"Retry-After": {"1"}}
		}
		return 200, nil
	}
	_, srv := startRelay(t, Options{Config: testConfig(t, rc.srv.URL)})
	signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), goldenEvent(t, "workflow_created"))
	rc.wait(10 * time.Second)
	mu.Lock()
	defer mu.Unlock()
	if gap := at[1].Sub(at[0]); gap < 900*time.Millisecond {
		t.Fatalf("second attempt %s after the first, want about the 1s Retry-After (schedule says 20ms)", gap)
	}
}

// TestReceiverDownThenUp: events accepted while the receiver is unreachable
// are all delivered once it is back.
func TestReceiverDownThenUp(t *testing.T) {
	var mu sync.Mutex
	var got [][]byte
	h := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var b bytes.Buffer
		_, _ = b.ReadFrom(req.Body)
		mu.Lock()
		got = append(got, b.Bytes())
		mu.Unlock()
	})
	ln := reserveAddr(t)
	cfg := testConfig(t, "http://"+ln)
	// About 17s of retries: the receiver comes back well before the events would be dead.
	cfg.Destinations[0].Retry = []Duration{0, Duration(200 * time.Millisecond), Duration(500 * time.Millisecond),
		Duration(time.Second), Duration(2 * time.Second), Duration(3 * time.Second), Duration(5 * time.Second),
		Duration(5 * time.Second)}
	r, srv := startRelay(t, Options{Config: cfg})
	const n = 20
	for i := 0; i < n; i++ {
		body := event("down-"+itoa64(int64(i)), "parse_run.processed", map[string]any{"object": "parse_run_status",
			"id": "pr_" + itoa64(int64(i)), "status": "PROCESSED"})
		if code, b := signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), body); code != 200 {
			t.Fatalf("%d %s", code, b)
		}
	}
	eventually(t, 5*time.Second, "retrying", func() bool { return stats(t, r, "orders").Retrying == n })
	up := &http.Server{Handler: h}
	l := listenOn(t, ln)
	go func() { _ = up.Serve(l) }()
	defer up.Close()
	eventually(t, 30*time.Second, "all delivered", func() bool { return stats(t, r, "orders").Delivered == n })
	mu.Lock()
	defer mu.Unlock()
	seen := map[string]bool{}
	for _, b := range got {
		seen[gjson.GetBytes(b, "eventId").Str] = true
	}
	if len(seen) != n {
		t.Fatalf("%d distinct events delivered, want %d", len(seen), n)
	}
}

// TestVendorDuplicate: the same eventId twice (and concurrently) is delivered once.
func TestVendorDuplicate(t *testing.T) {
	rc := newReceiver(t)
	r, srv := startRelay(t, Options{Config: testConfig(t, rc.srv.URL)})
	body := goldenEvent(t, "classify_run_processed")
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if code, b := signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), body); code != 200 {
				t.Errorf("%d %s", code, b)
			}
		}()
	}
	wg.Wait()
	rc.wait(5 * time.Second)
	// And again after it was delivered.
	signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), body)
	time.Sleep(300 * time.Millisecond)
	if n := rc.count(); n != 1 {
		t.Fatalf("%d deliveries, want 1", n)
	}
	if s := stats(t, r, "orders"); s.Received != 1 {
		t.Fatalf("stats %+v", s)
	}
}

// TestRedriveRequests: bad redrive requests get clear JSON errors.
func TestRedriveRequests(t *testing.T) {
	rc := newReceiver(t)
	r, _ := startRelay(t, Options{Config: testConfig(t, rc.srv.URL)})
	admin := httptest.NewServer(r.AdminHandler())
	defer admin.Close()
	for body, want := range map[string]int{
		`nope`:                                                    400,
		`{"destination":"orders"}`:                                400,
		`{"destination":"nobody","eventId":"e"}`:                  404,
		`{"destination":"orders","since":"yesterday"}`:            400,
		`{"destination":"orders","eventId":"never-seen"}`:         200,
		`{"destination":"orders","since":"2026-01-01T00:00:00Z"}`: 200,
	} {
		resp, err := http.Post(admin.URL+"/admin/webhooks/redrive", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if resp.StatusCode != want || (want == 200 && out["requeued"] != float64(0)) || (want != 200 && out["error"] == nil) {
			t.Errorf("%s: %d %v, want %d", body, resp.StatusCode, out, want)
		}
	}
}
