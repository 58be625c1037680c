package webhook

import (
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

func goldenEvent(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/golden/" + name + ".new.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSignatureChecks runs every signature case through the real handler;
// only the valid ones are stored and delivered.
func TestSignatureChecks(t *testing.T) {
	rc := newReceiver(t)
	cfg := testConfig(t, rc.srv.URL)
	cfg.Destinations[0].NewSecrets = []Secret{"wss_old", "wss_rotated"}
	r, srv := startRelay(t, Options{Config: cfg})
	body := goldenEvent(t, "parse_run_processed")
	post := func(secret string, ts time.Time, b []byte, mutate func(*http.Request)) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/webhooks/orders", bytes.NewReader(b))
		if secret != "" {
			SignHeaders(req.Header, secret, ts, b)
		}
		if mutate != nil {
			mutate(req)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// Timestamps are taken when each post is sent and stay seconds away
	// from the limits: signing truncates to the second and the request
	// takes time, so a case one second from a limit could land on either
	// side on a slow machine. TestVerifyTimestampLimits checks the limits
	// to the second, on a fixed clock.
	tampered := bytes.Replace(body, []byte("PROCESSED"), []byte("FAILED"), 1)
	for _, c := range []struct {
		name   string
		status int
		send   func() int
	}{
		{"wrong secret", 401, func() int { return post("wss_other", time.Now(), body, nil) }},
		{"tampered body", 401, func() int {
			return post("wss_old", time.Now(), body, func(r *http.Request) {
				r.Body = nopCloser(tampered)
				r.ContentLength = int64(len(tampered))
			})
		}},
		{"stale timestamp", 401, func() int { return post("wss_old", time.Now().Add(-310*time.Second), body, nil) }},
		{"future timestamp", 401, func() int { return post("wss_old", time.Now().Add(70*time.Second), body, nil) }},
		{"missing headers", 401, func() int { return post("", time.Now(), body, nil) }},
		{"missing signature", 401, func() int {
			return post("wss_old", time.Now(), body, func(r *http.Request) { r.Header.Del(HeaderSignature) })
		}},
		{"non-numeric timestamp", 401, func() int {
			return post("wss_old", time.Now(), body, func(r *http.Request) { r.Header.Set(HeaderTimestamp, "soon") })
		}},
		{"legacy secret on the new endpoint", 401, func() int { return post(testLegacySecret, time.Now(), body, nil) }},
		{"uppercase hex accepted", 200, func() int {
			return post("wss_old", time.Now(), body, func(r *http.Request) {
				r.Header.Set(HeaderSignature, strings.ToUpper(r.Header.Get(HeaderSignature)))
			})
		}},
		{"slightly old (290s)", 200, func() int { return post("wss_old", time.Now().Add(-290*time.Second), body, nil) }},
		{"rotated secret", 200, func() int { return post("wss_rotated", time.Now().Add(50*time.Second), body, nil) }},
	} {
		if got := c.send(); got != c.status {
			t.Errorf("%s: status %d, want %d", c.name, got, c.status)
		}
	}
	// The three accepted posts carry one eventId: one delivery.
	got := rc.wait(5 * time.Second)
	if gjson.GetBytes(got, "eventType").Str != "parser_run.processed" {
		t.Fatalf("delivered %s", got)
	}
	time.Sleep(200 * time.Millisecond)
	if n := rc.count(); n != 1 {
		t.Fatalf("%d deliveries, want 1", n)
	}
	eventually(t, 5*time.Second, "one received and delivered", func() bool {
		s := stats(t, r, "orders")
		return s.Received == 1 && s.Delivered == 1
	})
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

func nopCloser(b []byte) readCloser { return readCloser{bytes.NewReader(b)} }

// TestInboundAnswers checks the status of each kind of bad input and the
// order of the checks: size, then signature, then content.
func TestInboundAnswers(t *testing.T) {
	rc := newReceiver(t)
	cfg := testConfig(t, rc.srv.URL)
	cfg.MaxBodyBytes = 4096
	r, srv := startRelay(t, Options{Config: cfg})
	now := time.Now()
	huge := event("e-huge", "parse_run.processed", map[string]any{"id": strings.Repeat("x", 5000)})
	for _, c := range []struct {
		name, path, secret string
		body               []byte
		status             int
		errPart            string
	}{
		{"huge and unsigned: size first", "/webhooks/orders", "", huge, 413, "maxBodyBytes"},
		{"huge and signed", "/webhooks/orders", testNewSecret, huge, 413, "maxBodyBytes"},
		{"not JSON but unsigned: signature before content", "/webhooks/orders", "", []byte("nope"), 401, "missing"},
		{"not JSON", "/webhooks/orders", testNewSecret, []byte("nope"), 400, "not JSON"},
		{"array", "/webhooks/orders", testNewSecret, []byte("[1]"), 400, "not a JSON object"},
		{"no eventId", "/webhooks/orders", testNewSecret, []byte(`{"eventType":"x","payload":{}}`), 400, "eventId"},
		{"no eventType", "/webhooks/orders", testNewSecret, []byte(`{"eventId":"a","payload":{}}`), 400, "eventType"},
		{"no payload", "/webhooks/orders", testNewSecret, []byte(`{"eventId":"a","eventType":"x"}`), 400, "payload"},
		{"unknown destination", "/webhooks/nobody", testNewSecret, []byte(`{}`), 404, "unknown"},
		{"unknown type: stored as dropped", "/webhooks/orders", testNewSecret,
			event("e-unknown", "invoice.teleported", map[string]any{"id": "x"}), 200, ""},
		{"new-only type: dropped", "/webhooks/orders", testNewSecret, goldenEvent(t, "edit_run_processed"), 200, ""},
		{"legacy endpoint in translate mode: dropped", "/webhooks/orders/legacy", testLegacySecret,
			event("e-legacy", "parser_run.processed", map[string]any{"id": "p"}), 200, ""},
	} {
		code, body := signedPost(t, srv.URL+c.path, c.secret, now, c.body)
		if code != c.status || !strings.Contains(body, c.errPart) {
			t.Errorf("%s: %d %s, want %d containing %q", c.name, code, body, c.status, c.errPart)
		}
		if code != 200 && !gjson.Valid(body) || (code != 200 && !gjson.Get(body, "error").Exists()) {
			t.Errorf("%s: error body %q is not {\"error\": ...}", c.name, body)
		}
		if strings.Contains(body, testNewSecret) || strings.Contains(body, testOutSecret) {
			t.Errorf("%s: answer echoes a secret", c.name)
		}
	}
	code, _ := signedPost(t, srv.URL+"/webhooks/orders/extra", testNewSecret, now, []byte(`{}`))
	if code != 404 {
		t.Errorf("nested path: %d", code)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/webhooks/orders", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 405 {
		t.Errorf("GET: %v %v", resp, err)
	}
	s := stats(t, r, "orders")
	if s.Dropped != 3 || s.Received != 3 || s.Delivered != 0 {
		t.Fatalf("stats %+v, want 3 dropped", s)
	}
	if rc.requests() != 0 {
		t.Fatalf("receiver got %d requests", rc.requests())
	}
}

// TestLegacyDocsReceiver verifies deliveries as the 2025-04-21 docs' example
// does, in Node: HMAC over v0:ts:JSON.stringify(JSON.parse(body)).
func TestLegacyDocsReceiver(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed; the conformance suite (scripts/test-all.sh) installs it")
	}
	rc := newReceiver(t)
	_, srv := startRelay(t, Options{Config: testConfig(t, rc.srv.URL)})
	for _, name := range []string{"extractor_created", "workflow_run_completed", "extract_run_processed"} {
		in := goldenEvent(t, name)
		if code, b := signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), in); code != 200 {
			t.Fatalf("%s: %d %s", name, code, b)
		}
		body := rc.wait(5 * time.Second)
		ts := time.Now().Unix()
		sig := Sign(testOutSecret, ts, body)
		script := `const c=require('crypto');let b='';process.stdin.on('data',d=>b+=d).on('end',()=>{` +
			`const s=JSON.stringify(JSON.parse(b));` +
			`const h=c.createHmac('sha256',process.argv[1]).update('v0:'+process.argv[2]+':'+s).digest('hex');` +
			`process.exit(h===process.argv[3]?0:1)})`
		cmd := exec.Command(node, "-e", script, testOutSecret, itoa64(ts), sig)
		cmd.Stdin = bytes.NewReader(body)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: the legacy docs' algorithm rejects the delivery: %v %s", name, err, out)
		}
	}
}

// TestStoreUnavailable: when the event cannot be stored the vendor gets 503
// (and retries), never a 200.
func TestStoreUnavailable(t *testing.T) {
	rc := newReceiver(t)
	r, srv := startRelay(t, Options{Config: testConfig(t, rc.srv.URL)})
	r.st.db.Close() // the SQLite handle River writes through
	code, body := signedPost(t, srv.URL+"/webhooks/orders", testNewSecret, time.Now(), goldenEvent(t, "workflow_created"))
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "retry later") {
		t.Fatalf("%d %s", code, body)
	}
}

// TestVerifyTimestampLimits: the age and future limits hold to the second,
// on a fixed clock: exactly the tolerance old and exactly MaxFutureSkew
// ahead are accepted, one second more is refused; tolerance 0 lifts the age
// limit only.
func TestVerifyTimestampLimits(t *testing.T) {
	body := []byte(`{"eventId":"evt_1"}`)
	now := time.Unix(1_800_000_000, 0)
	const tolerance = 300 * time.Second
	for _, c := range []struct {
		name      string
		at        time.Time
		tolerance time.Duration
		want      error
	}{
		{"exactly the tolerance old", now.Add(-tolerance), tolerance, nil},
		{"one second older", now.Add(-tolerance - time.Second), tolerance, ErrStale},
		{"exactly the future skew ahead", now.Add(MaxFutureSkew), tolerance, nil},
		{"one second further ahead", now.Add(MaxFutureSkew + time.Second), tolerance, ErrFuture},
		{"a day old with tolerance 0", now.Add(-24 * time.Hour), 0, nil},
		{"future with tolerance 0", now.Add(MaxFutureSkew + time.Second), 0, ErrFuture},
	} {
		h := http.Header{}
		SignHeaders(h, "wss_old", c.at, body)
		if err := Verify(h, body, []string{"wss_old"}, c.tolerance, now); err != c.want {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}
