package proxy

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/extend-compat-proxy/extend-compat-proxy/sim"
	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// fuzzVersions are the API version headers FuzzProxy sends: the legacy
// one, none (the default version), the new one, and one nobody knows.
var fuzzVersions = []string{translate.LegacyVersion, "", translate.NewVersion, "1999-01-01"}

// FuzzProxy sends fuzzed requests to every route of the legacy SDK through
// the whole proxy (router, edge checks, transforms, fan-out, upstream
// client) in front of the simulator, and holds every answer to what the
// proxy promises any client: a status and, for an error, a JSON body in the
// error shape of the caller's version; never a panic (recovered or not) and
// never an error the funnel did not expect (logged as "unclassified
// error", a bug by definition). The seeds, one per route and one per
// legacy golden body, run in the test command; fuzz it longer with
//
//	go test ./proxy -run '^$' -fuzz '^FuzzProxy$' -fuzztime 120s -fuzzminimizetime 2s
//
// (without the minimize bound, minimizing each new kilobyte-sized body over
// HTTP stalls the run for tens of seconds at a time).
func FuzzProxy(f *testing.F) {
	routes := translate.DefaultRoutes()
	for i, rt := range routes {
		body := []byte("{}")
		if rt.Method != http.MethodPost && rt.Method != http.MethodPut && rt.Method != http.MethodPatch {
			body = nil
		}
		f.Add(uint8(i), "unknown_id", "", body, uint8(0))
	}
	golden, _ := filepath.Glob("../translate/testdata/*.legacy.json")
	for i, name := range golden {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), "workflow_run_1", "limit=2", b, uint8(i))
	}

	s := sim.New(sim.Options{PendingFor: time.Millisecond, ProcessFor: 5 * time.Millisecond, MaxRecorded: 100})
	upstream := httptest.NewServer(s)
	f.Cleanup(upstream.Close)
	u, _ := url.Parse(upstream.URL)
	core, logs := observer.New(zap.WarnLevel)
	tr := NewTransport(TransportOptions{})
	p, err := New(Options{Upstream: u, Logger: zap.New(core), Transport: tr, MaxBodyBytes: 1 << 20,
		Retry: RetryPolicy{MaxAttempts: 1}, RequestTimeout: 5 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	srv := httptest.NewServer(p)
	f.Cleanup(func() { srv.Close(); tr.CloseIdleConnections() })
	client := srv.Client()
	vars := regexp.MustCompile(`\{[^}]+\}`)

	f.Fuzz(func(t *testing.T, route uint8, id, query string, body []byte, version uint8) {
		rt := routes[int(route)%len(routes)]
		path := vars.ReplaceAllLiteralString(rt.Path, url.PathEscape(id))
		req, err := http.NewRequest(rt.Method, srv.URL+path, bytes.NewReader(body))
		if err != nil {
			t.Skip("not a request a client can send:", err)
		}
		req.URL.RawQuery = url.PathEscape(query)
		v := fuzzVersions[int(version)%len(fuzzVersions)]
		if v != "" {
			req.Header.Set("X-Extend-Api-Version", v)
		}
		req.Header.Set("Authorization", "Bearer sk_fuzz")
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: no answer: %v", rt.Method, path, err)
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("%s %s: answer cut off: %v", rt.Method, path, err)
		}
		if resp.StatusCode >= 400 {
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("%s %s (%q): %d with Content-Type %q: %s", rt.Method, path, v, resp.StatusCode, ct, got)
			}
			legacy := v == translate.LegacyVersion || v == ""
			switch {
			case !gjson.ValidBytes(got):
				t.Fatalf("%s %s: %d body is not JSON: %s", rt.Method, path, resp.StatusCode, got)
			case legacy && (gjson.GetBytes(got, "success").Type != gjson.False || gjson.GetBytes(got, "error").String() == ""):
				t.Fatalf("%s %s: %d not in the legacy error shape: %s", rt.Method, path, resp.StatusCode, got)
			case !legacy && gjson.GetBytes(got, "message").String() == "" && gjson.GetBytes(got, "error").String() == "":
				t.Fatalf("%s %s (%q): %d error without a message: %s", rt.Method, path, v, resp.StatusCode, got)
			}
		}
		for _, l := range logs.TakeAll() {
			switch l.Message {
			case "panic recovered":
				t.Fatalf("%s %s (%q): a panic was recovered: %v", rt.Method, path, v, l.ContextMap())
			case "unclassified error":
				t.Fatalf("%s %s (%q): the error funnel met an error it does not classify: %v", rt.Method, path, v, l.ContextMap())
			}
		}
	})
}
