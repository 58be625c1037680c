package webhook

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tidwall/gjson"
)

// PostgresEnv names the DSN of a Postgres the tests may create databases in;
// scripts/postgres.sh (run by scripts/test-all.sh) starts one and sets it.
const PostgresEnv = "EXTEND_COMPAT_TEST_POSTGRES"

// pgDatabase creates a fresh database for one test and returns its DSN; it
// is dropped when the test ends.
func pgDatabase(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Skip(PostgresEnv + " is not set: the Postgres replica tests need a server (source scripts/postgres.sh; CI sets it)")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	name := fmt.Sprintf("wh_test_%d_%d", os.Getpid(), rand.Uint32())
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		_ = admin.Close(ctx)
	})
	u, _ := url.Parse(dsn)
	u.Path = "/" + name
	return u.String()
}

// countingReceiver counts 2xx deliveries per eventId.
type countingReceiver struct {
	srv  *httptest.Server
	mu   sync.Mutex
	seen map[string]int
	all  atomic.Int64
}

func newCountingReceiver(t testing.TB) *countingReceiver {
	c := &countingReceiver{seen: map[string]int{}}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body := make([]byte, req.ContentLength)
		_, _ = req.Body.Read(body)
		for n := len(body); n > 0 && n < int(req.ContentLength); {
			m, err := req.Body.Read(body[n:])
			n += m
			if err != nil {
				break
			}
		}
		if Verify(req.Header, body, []string{testOutSecret}, time.Minute, time.Now()) != nil {
			w.WriteHeader(401)
			return
		}
		c.mu.Lock()
		c.seen[gjson.GetBytes(body, "eventId").Str]++
		c.mu.Unlock()
		c.all.Add(1)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

// report returns distinct events delivered and extra deliveries (duplicates).
func (c *countingReceiver) report() (distinct, duplicates int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range c.seen {
		distinct++
		duplicates += n - 1
	}
	return distinct, duplicates
}

// postEvents sends n distinct events, spread over the inbound URLs, 8 at a time.
func postEvents(t *testing.T, n int, prefix string, inbound ...string) {
	t.Helper()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			id := fmt.Sprintf("%s-%04d", prefix, i)
			body := event(id, "parse_run.processed", map[string]any{"object": "parse_run_status", "id": id, "status": "PROCESSED"})
			// A replica that is gone refuses the connection; the vendor's retry
			// (or the load balancer) reaches another one.
			for k := 0; k < len(inbound); k++ {
				code, err := trySignedPost(inbound[(i+k)%len(inbound)]+"/webhooks/orders", body)
				if err == nil && code == 200 {
					return
				}
			}
			t.Errorf("%s: no replica accepted it", id)
		}(i)
	}
	wg.Wait()
}

// trySignedPost posts a signed event and reports transport errors instead of failing.
func trySignedPost(url string, body []byte) (int, error) {
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	SignHeaders(req.Header, testNewSecret, time.Now(), body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestPostgresTwoReplicas: two relays (two River clients) on one Postgres,
// 1,000 events accepted by either: each is delivered exactly once.
func TestPostgresTwoReplicas(t *testing.T) {
	dsn := pgDatabase(t)
	recv := newCountingReceiver(t)
	cfg := DefaultConfig()
	cfg.Store = dsn
	cfg.Destinations = []Destination{childDestination(recv.srv.URL)}
	a, srvA := startRelay(t, Options{Config: cfg})
	_, srvB := startRelay(t, Options{Config: cfg})
	const n = 1000
	postEvents(t, n, "two", srvA.URL, srvB.URL)
	eventually(t, 60*time.Second, "all delivered", func() bool { return stats(t, a, "orders").Delivered == n })
	time.Sleep(300 * time.Millisecond)
	distinct, dups := recv.report()
	t.Logf("two live replicas: %d events, %d delivered, %d duplicates", n, distinct, dups)
	if distinct != n || dups != 0 {
		t.Fatalf("%d distinct deliveries and %d duplicates, want %d and 0", distinct, dups, n)
	}
}

// TestPostgresReplicaKilled: one of two replicas (a child process) is killed
// with SIGKILL mid-run; the survivor takes over its pending and running work
// and every event is delivered. Duplicates (deliveries whose completion the
// dead replica never recorded) are counted and reported.
func TestPostgresReplicaKilled(t *testing.T) {
	dsn := pgDatabase(t)
	recv := newCountingReceiver(t)
	cfg := DefaultConfig()
	cfg.Store = dsn
	cfg.Destinations = []Destination{childDestination(recv.srv.URL)}
	t.Setenv(childWorkersEnv, "16")
	child, childURL := startChild(t, dsn, recv.srv.URL)
	a, srvA := startRelay(t, Options{Config: cfg, RescueAfter: 3 * time.Second})
	const n = 1000
	done := make(chan struct{})
	go func() {
		defer close(done)
		postEvents(t, n/2, "kill", childURL, srvA.URL)
	}()
	// Kill the child once deliveries are under way.
	eventually(t, 30*time.Second, "deliveries started", func() bool { return recv.all.Load() >= 100 })
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-done
	postEvents(t, n/2, "after", srvA.URL) // the survivor alone accepts the rest
	eventually(t, 120*time.Second, "all delivered", func() bool { return stats(t, a, "orders").Delivered == n })
	distinct, dups := recv.report()
	t.Logf("replica killed mid-run: %d events, %d delivered, %d duplicates (at-least-once)", n, distinct, dups)
	if distinct != n {
		t.Fatalf("%d distinct events delivered, want %d", distinct, n)
	}
}

// TestPostgresDeadAndRedrive: on Postgres too, an always-failing receiver
// makes the event dead (with its last error), and a re-drive by time delivers it.
func TestPostgresDeadAndRedrive(t *testing.T) {
	dsn := pgDatabase(t)
	var failing atomic.Bool
	failing.Store(true)
	recv := newCountingReceiver(t)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing.Load() {
			w.WriteHeader(500)
			return
		}
		recv.srv.Config.Handler.ServeHTTP(w, r)
	}))
	defer front.Close()
	cfg := DefaultConfig()
	cfg.Store = dsn
	cfg.Destinations = []Destination{childDestination(front.URL)}
	r, srv := startRelay(t, Options{Config: cfg})
	since := time.Now().Add(-time.Minute)
	postEvents(t, 3, "pgdead", srv.URL)
	eventually(t, 10*time.Second, "dead", func() bool { return stats(t, r, "orders").Dead == 3 })
	if e := stats(t, r, "orders").LastErrors; len(e) != 3 || e[0].Status != 500 || e[0].Attempt != 3 {
		t.Fatalf("lastErrors %+v", e)
	}
	failing.Store(false)
	if n, err := r.Redrive(context.Background(), "orders", "pgdead-0001", time.Time{}); err != nil || n != 1 {
		t.Fatalf("redrive by id: %d %v", n, err)
	}
	if n, err := r.Redrive(context.Background(), "orders", "", since); err != nil || n != 2 {
		t.Fatalf("redrive since: %d %v", n, err)
	}
	eventually(t, 10*time.Second, "delivered", func() bool { return stats(t, r, "orders").Delivered == 3 })
	if d, dups := recv.report(); d != 3 || dups != 0 {
		t.Fatalf("%d delivered, %d duplicates", d, dups)
	}
}
