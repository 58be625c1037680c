package webhook

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

// TestSignedURLPayloadFetched: a signed_data_url payload is fetched before
// the 200; when the fetch fails the vendor gets 502 and nothing is stored.
func TestSignedURLPayloadFetched(t *testing.T) {
	payload := gjson.GetBytes(goldenEvent(t, "extract_run_processed"), "payload").Raw
	var fail atomic.Bool
	data := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			w.WriteHeader(403) // an expired signed URL
			return
		}
		_, _ = io.WriteString(w, payload)
	}))
	defer data.Close()
	rc := newReceiver(t)
	r, srv := startRelay(t, Options{Config: testConfig(t, rc.srv.URL)})
	ev := event("evt_extract_run_processed", "extract_run.processed",
		map[string]any{"object": "signed_data_url", "data": data.URL + "/p?sig=abc", "id": "exr_x"})
	fail.Store(true)
	if code, body := signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), ev); code != 502 {
		t.Fatalf("failed fetch: %d %s", code, body)
	}
	if s := stats(t, r, "orders"); s.Received != 0 {
		t.Fatalf("stored after a failed fetch: %+v", s)
	}
	fail.Store(false)
	if code, body := signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), ev); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	checkGolden(t, "testdata/golden/extract_run_processed.legacy.json", rc.wait(5*time.Second))
}

// TestPayloadFormatURL: the receiver gets {"data": URL}; GET on it returns
// the legacy payload; a forged or expired token is 404.
func TestPayloadFormatURL(t *testing.T) {
	rc := newReceiver(t)
	cfg := testConfig(t, rc.srv.URL)
	cfg.Destinations[0].PayloadFormat = "url"
	addr := reserveAddr(t)
	cfg.PublicBaseURL = "http://" + addr
	r, _ := startRelay(t, Options{Config: cfg})
	srv := &httptest.Server{Listener: listenOn(t, addr), Config: &http.Server{Handler: r}}
	srv.Start()
	defer srv.Close()
	signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), goldenEvent(t, "extractor_created"))
	got := gjson.ParseBytes(rc.wait(5 * time.Second))
	link := got.Get("payload.data").Str
	if got.Get("eventType").Str != "processor.created" || !strings.HasPrefix(link, srv.URL+"/webhooks/payloads/") ||
		len(got.Get("payload").Map()) != 1 {
		t.Fatalf("delivered %s", got.Raw)
	}
	code, body := httpGet(t, link)
	want, _ := os.ReadFile("testdata/golden/extractor_created.legacy.json")
	if code != 200 || body != string(stringify(gjson.GetBytes(want, "payload"))) {
		t.Fatalf("GET payload: %d %s", code, body)
	}
	u, _ := url.Parse(link)
	tok := strings.TrimPrefix(u.Path, "/webhooks/payloads/")
	parts := strings.Split(tok, ".")
	forged := parts[0] + "." + parts[1] + "." + itoa64(time.Now().Add(48*time.Hour).Unix()) + "." + parts[3]
	d := r.dests["orders"]
	expired := r.payloadToken(d, 1, time.Now().Add(-time.Second))
	for _, bad := range []string{forged, expired, "x", parts[0] + ".999999." + parts[2] + "." + parts[3]} {
		if code, _ := httpGet(t, srv.URL+"/webhooks/payloads/"+bad); code != 404 {
			t.Errorf("token %q: %d, want 404", bad, code)
		}
	}
}

func httpGet(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestCompletion: a workflow-run payload whose step runs lack their result
// objects is completed with GET /workflow_runs/{id} (API key sent) before
// translation; a payload missing its id is dead with a reason.
func TestCompletion(t *testing.T) {
	full, _ := os.ReadFile("../translate/testdata/get_full.new.json")
	var calls atomic.Int32
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Header.Get("Authorization") != "Bearer sk_test" || r.Header.Get("X-Extend-Api-Version") != "2026-02-09" ||
			r.Header.Get("X-Extend-Workspace-Id") != "ws_1" ||
			r.URL.Path != "/workflow_runs/"+gjson.GetBytes(full, "id").Str {
			w.WriteHeader(401)
			return
		}
		_, _ = w.Write(full)
	}))
	defer upstream.Close()
	rc := newReceiver(t)
	cfg := testConfig(t, rc.srv.URL)
	cfg.APIKey = "sk_test"
	up, _ := url.Parse(upstream.URL)
	r, srv := startRelay(t, Options{Config: cfg, Upstream: up, WorkspaceID: "ws_1"})
	ev := goldenEvent(t, "workflow_run_completed")
	stripped := ev
	gjson.GetBytes(ev, "payload.stepRuns").ForEach(func(k, _ gjson.Result) bool {
		stripped, _ = sjson.DeleteBytes(stripped, "payload.stepRuns."+k.String()+".result")
		return true
	})
	signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), stripped)
	got := rc.wait(5 * time.Second)
	if calls.Load() != 1 || len(gjson.GetBytes(got, "payload.outputs").Array()) == 0 {
		t.Fatalf("completion calls %d; outputs %s", calls.Load(), gjson.GetBytes(got, "payload.outputs").Raw)
	}
	bad := event("evt_no_id", "workflow_run.completed", map[string]any{"status": "PROCESSED"})
	signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), bad)
	eventually(t, 5*time.Second, "dead", func() bool { return stats(t, r, "orders").Dead == 1 })
	e := stats(t, r, "orders").LastErrors
	if len(e) != 1 || e[0].EventID != "evt_no_id" || !strings.Contains(e[0].Error, "untranslatable payload: ") ||
		!strings.Contains(e[0].Error, "id is missing") {
		t.Fatalf("lastErrors %+v", e)
	}
}

// TestPassthroughMode: legacy events are delivered unchanged but re-signed;
// 2026 events on the same destination are dropped.
func TestPassthroughMode(t *testing.T) {
	rc := newReceiver(t)
	cfg := testConfig(t, rc.srv.URL)
	cfg.Destinations[0].Mode = ModePassthrough
	r, srv := startRelay(t, Options{Config: cfg})
	legacy, _ := os.ReadFile("testdata/golden/workflow_run_completed.legacy.json")
	if code, b := signedPost(t, srv.URL+"/webhooks/orders/legacy", testLegacySecret, time.Now(), legacy); code != 200 {
		t.Fatalf("%d %s", code, b)
	}
	if got := rc.wait(5 * time.Second); string(got) != string(stringify(gjson.ParseBytes(legacy))) {
		t.Fatalf("passthrough changed the event:\n%s", got)
	}
	signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), goldenEvent(t, "workflow_run_completed"))
	eventually(t, 5*time.Second, "dropped", func() bool { return stats(t, r, "orders").Dropped == 1 })
}

// TestEventsFilter: a destination with events delivers only those legacy types; the rest are dropped (counted).
func TestEventsFilter(t *testing.T) {
	rc := newReceiver(t)
	cfg := testConfig(t, rc.srv.URL)
	cfg.Destinations[0].Events = []string{"processor_run.processed"}
	r, srv := startRelay(t, Options{Config: cfg})
	signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), goldenEvent(t, "parse_run_processed"))
	signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), goldenEvent(t, "classify_run_processed"))
	if got := gjson.GetBytes(rc.wait(5*time.Second), "eventType").Str; got != "processor_run.processed" {
		t.Fatalf("delivered %s", got)
	}
	eventually(t, 5*time.Second, "one dropped", func() bool { s := stats(t, r, "orders"); return s.Dropped == 1 && s.Delivered == 1 })
}
