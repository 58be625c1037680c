package webhook

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// Environment of the child relay process that TestKillBetweenAckAndDelivery kills.
const (
	childStoreEnv    = "WEBHOOK_TEST_CHILD_STORE"
	childReceiverEnv = "WEBHOOK_TEST_CHILD_RECEIVER"
	childWorkersEnv  = "WEBHOOK_TEST_CHILD_WORKERS" // delivery workers; default 1
)

func TestMain(m *testing.M) {
	if os.Getenv(childStoreEnv) != "" {
		runChild()
		return
	}
	os.Exit(m.Run())
}

// runChild is a relay process with one delivery worker that prints its
// inbound address and runs until it is killed.
func runChild() {
	cfg := DefaultConfig()
	cfg.Store = os.Getenv(childStoreEnv) // sqlite:<file> or postgres://...
	cfg.Destinations = []Destination{childDestination(os.Getenv(childReceiverEnv))}
	workers, _ := strconv.Atoi(os.Getenv(childWorkersEnv))
	r, err := New(context.Background(), Options{Config: cfg, Workers: max(workers, 1), PollInterval: 20 * time.Millisecond,
		RescueAfter: 3 * time.Second})
	if err == nil {
		err = r.Start(context.Background())
	}
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	srv := httptest.NewServer(r)
	fmt.Println("ADDR", srv.URL)
	select {}
}

// startChild runs runChild in a new process of this test binary and returns
// it with its inbound base URL; the process is killed at the end of the test.
func startChild(t *testing.T, store, receiverURL string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childStoreEnv+"="+store, childReceiverEnv+"="+receiverURL)
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "ADDR ")
	if err != nil || !ok {
		t.Fatalf("child: %q %v", line, err)
	}
	return cmd, addr
}

func childDestination(url string) Destination {
	return Destination{Name: "orders", URL: url, Secret: testOutSecret, NewSecrets: []Secret{testNewSecret},
		Timeout: Duration(500 * time.Millisecond), Retry: []Duration{0, Duration(50 * time.Millisecond), Duration(50 * time.Millisecond)}}
}

// TestKillBetweenAckAndDelivery: a relay process acknowledges two events,
// one in the middle of its delivery and one still queued, and is killed with
// SIGKILL. A new relay on the same SQLite file delivers each exactly once.
func TestKillBetweenAckAndDelivery(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	var mu sync.Mutex
	delivered := map[string]int{}
	firstSeen := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body := make([]byte, 0, 4096)
		buf := make([]byte, 4096)
		for {
			n, err := req.Body.Read(buf)
			body = append(body, buf[:n]...)
			if err != nil {
				break
			}
		}
		first := false
		once.Do(func() { first = true; close(firstSeen) })
		if first { // hold the first delivery until the sender is dead, then fail it
			<-release
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		mu.Lock()
		delivered[gjson.GetBytes(body, "eventId").Str]++
		mu.Unlock()
	}))
	defer recv.Close()
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	file := filepath.Join(t.TempDir(), "webhooks.db")
	cmd, addr := startChild(t, "sqlite:"+file, recv.URL)
	for _, id := range []string{"kill-a", "kill-b"} {
		body := event(id, "parse_run.processed", map[string]any{"object": "parse_run_status", "id": id, "status": "PROCESSED"})
		if code, b := signedPost(t, addr+"/webhooks/orders", testNewSecret, time.Now(), body); code != 200 {
			t.Fatalf("%s: %d %s", id, code, b)
		}
		if id == "kill-a" {
			select {
			case <-firstSeen:
			case <-time.After(10 * time.Second):
				t.Fatal("the child never started delivering")
			}
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	close(release)

	// kill-a was running when the process died: another worker may take it
	// over once RescueAfter has passed, so wait that long before restarting.
	rescue := 3 * time.Second
	time.Sleep(rescue)
	cfg := DefaultConfig()
	cfg.Store = "sqlite:" + file
	cfg.Destinations = []Destination{childDestination(recv.URL)}
	r, _ := startRelay(t, Options{Config: cfg, RescueAfter: rescue})
	// The new process becomes River's leader (whose rescuer takes over kill-a) once the dead one's
	// leadership expires (about 15s): a generous bound for a loaded machine.
	eventually(t, 90*time.Second, "both delivered", func() bool { return stats(t, r, "orders").Delivered == 2 })
	time.Sleep(200 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if delivered["kill-a"] != 1 || delivered["kill-b"] != 1 || len(delivered) != 2 {
		t.Fatalf("deliveries %v, want each event exactly once", delivered)
	}
}

// TestRestartWithoutWorkers: events stored by a relay that never delivered
// (closed right after acknowledging) are delivered by the next one.
func TestRestartWithoutWorkers(t *testing.T) {
	rc := newReceiver(t)
	cfg := testConfig(t, rc.srv.URL)
	first, err := New(context.Background(), Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(first) // never started: acknowledges and stores only
	for i := 0; i < 5; i++ {
		body := event("restart-"+itoa64(int64(i)), "workflow.created", map[string]any{"id": "wf", "name": "n"})
		if code, b := signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), body); code != 200 {
			t.Fatalf("%d %s", code, b)
		}
	}
	srv.Close()
	if err := first.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if rc.requests() != 0 {
		t.Fatal("delivered before restart")
	}
	r, _ := startRelay(t, Options{Config: cfg})
	eventually(t, 10*time.Second, "delivered", func() bool { return stats(t, r, "orders").Delivered == 5 })
	if rc.count() != 5 {
		t.Fatalf("%d deliveries, want 5", rc.count())
	}
}
