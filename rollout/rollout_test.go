package rollout

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func pct(v float64) *float64 { return &v }

func controller(t *testing.T, cfg Config, clk *clock) *Controller {
	t.Helper()
	if clk == nil {
		clk = &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	}
	c, err := New(cfg, nil, nil, clk.now)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func keys(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("Bearer sk_live_tenant_%04d", i)
	}
	return out
}

func percentConfig(p float64) Config {
	cfg := DefaultConfig()
	cfg.FingerprintKey = "k1"
	cfg.DefaultMode = Passthrough
	cfg.Rules = []Rule{{Name: "canary", Percent: pct(p), Mode: Translate}}
	return cfg
}

func translated(c *Controller, ks []string) map[string]bool {
	in := map[string]bool{}
	for _, k := range ks {
		if c.Decide("get", k, "").Mode == Translate {
			in[k] = true
		}
	}
	return in
}

// A tenant's bucket survives restarts, and raising the percentage only adds tenants.
func TestStickyPercentage(t *testing.T) {
	ks := keys(2000)
	ten := translated(controller(t, percentConfig(10), nil), ks)
	again := translated(controller(t, percentConfig(10), nil), ks)
	if fmt.Sprint(ten) != fmt.Sprint(again) {
		t.Fatal("buckets changed across a restart")
	}
	if n := len(ten); n < 150 || n > 250 {
		t.Fatalf("10%% rule translated %d of 2000 tenants", n)
	}
	twenty := translated(controller(t, percentConfig(20), nil), ks)
	for k := range ten {
		if !twenty[k] {
			t.Fatalf("raising 10%% to 20%% dropped tenant %s", k)
		}
	}
	if len(twenty) <= len(ten) {
		t.Fatal("raising the percentage added nobody")
	}
	other := percentConfig(10)
	other.FingerprintKey = "k2"
	if fmt.Sprint(translated(controller(t, other, nil), ks)) == fmt.Sprint(ten) {
		t.Fatal("the key does not influence the buckets")
	}
}

func TestFingerprintHidesTheKey(t *testing.T) {
	fp := Fingerprint([]byte("k"), "Bearer sk_live_abcdef123456")
	if len(fp) != 16 || strings.Contains(fp, "abcdef") || fp != Fingerprint([]byte("k"), "sk_live_abcdef123456") {
		t.Fatalf("fingerprint %q", fp)
	}
	if Fingerprint([]byte("k"), "") != "" || Fingerprint([]byte("k2"), "Bearer sk_live_abcdef123456") == fp {
		t.Fatal("fingerprint not keyed or not empty for no key")
	}
}

// TestFingerprintIsStable: fingerprints are what operators write in allow and
// deny lists, so their value is pinned to its definition (hex of
// HMAC-SHA256(key, token), 16 characters), computed here without rollout's
// pooled states, across keys and concurrent callers.
func TestFingerprintIsStable(t *testing.T) {
	want := func(key, tok string) string {
		m := hmac.New(sha256.New, []byte(key))
		m.Write([]byte(tok))
		return hex.EncodeToString(m.Sum(nil))[:16]
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				key, tok := fmt.Sprintf("key-%d", i%3), fmt.Sprintf("sk_tenant_%d_%d", g, i)
				if got := Fingerprint([]byte(key), "Bearer "+tok); got != want(key, tok) {
					t.Errorf("Fingerprint(%s, %s) = %s, want %s", key, tok, got, want(key, tok))
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestPrecedence(t *testing.T) {
	key := "Bearer sk_tenant_a"
	fp := Fingerprint([]byte("k"), key)
	base := DefaultConfig()
	base.FingerprintKey = "k"
	base.Rules = []Rule{
		{Name: "reads", Routes: []string{"get", "list"}, Mode: Shadow},
		{Name: "tenant-a-writes", Tenants: []string{fp}, Routes: []string{"create"}, Mode: Passthrough},
	}
	cases := []struct {
		name, route, auth, override string
		mutate                      func(*Config)
		mode, serve                 Mode
		reason                      string
	}{
		{"rule by route", "get", key, "", nil, Shadow, Passthrough, "rule:reads"},
		{"shadow serves translate", "list", key, "", func(c *Config) { c.ShadowServe = Translate }, Shadow, Translate, "rule:reads"},
		{"rule by tenant", "create", key, "", nil, Passthrough, Passthrough, "rule:tenant-a-writes"},
		{"other tenant falls to default", "create", "Bearer sk_other", "", nil, Translate, Translate, "default"},
		{"override off", "create", key, "translate", nil, Passthrough, Passthrough, "rule:tenant-a-writes"},
		{"override on", "create", key, "translate", func(c *Config) { c.HeaderOverride = true }, Translate, Translate, "override"},
		{"invalid override ignored", "get", key, "bogus", func(c *Config) { c.HeaderOverride = true }, Shadow, Passthrough, "rule:reads"},
		{"deny", "get", key, "", func(c *Config) { c.Deny = []string{fp} }, Passthrough, Passthrough, "deny"},
		{"allow", "get", key, "", func(c *Config) { c.Allow = []string{fp} }, Translate, Translate, "allow"},
		{"kill switch beats all", "get", key, "translate", func(c *Config) { c.KillSwitch = true; c.HeaderOverride = true; c.Allow = []string{fp} }, Passthrough, Passthrough, "kill-switch"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base
			cfg.Rules = append([]Rule(nil), base.Rules...)
			if tc.mutate != nil {
				tc.mutate(&cfg)
			}
			d := controller(t, cfg, nil).Decide(tc.route, tc.auth, tc.override)
			if d.Mode != tc.mode || d.Serve != tc.serve || d.Reason != tc.reason {
				t.Fatalf("got %+v, want mode %s serve %s reason %s", d, tc.mode, tc.serve, tc.reason)
			}
			if tc.auth == key && d.Tenant != fp {
				t.Fatalf("tenant %q, want %q", d.Tenant, fp)
			}
		})
	}
}

func TestUpdateRefusesBadConfigAndKeepsOld(t *testing.T) {
	c := controller(t, DefaultConfig(), nil)
	bad := DefaultConfig()
	bad.DefaultMode = "sideways"
	bad.Rules = []Rule{{Routes: []string{"explode"}, Percent: pct(150), Mode: Translate}}
	err := c.Update(bad)
	if err == nil {
		t.Fatal("bad config accepted")
	}
	for _, want := range []string{"defaultMode", "rules[0].name", "rules[0].routes", "rules[0].percent", "fingerprintKey"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s: %v", want, err)
		}
	}
	if d := c.Decide("get", "Bearer x", ""); d.Mode != Translate {
		t.Fatalf("old config not kept: %+v", d)
	}
}

func fallbackConfig() Config {
	cfg := DefaultConfig()
	cfg.Fallback = Fallback{Enabled: true, Window: Duration(time.Minute), MinRequests: 10, ErrorRate: 0.5}
	return cfg
}

func feed(c *Controller, route string, ok, failed int) {
	d := Decision{Mode: Translate, Serve: Translate}
	for i := 0; i < ok; i++ {
		c.Observe(route, d, 200, false)
	}
	for i := 0; i < failed; i++ {
		c.Observe(route, d, 502, i%2 == 0)
	}
}

func TestFallbackTripsAndResets(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	c := controller(t, fallbackConfig(), clk)
	feed(c, "get", 0, 9)
	if c.Decide("get", "Bearer a", "").Mode != Translate {
		t.Fatal("tripped before minRequests")
	}
	feed(c, "get", 0, 1)
	if d := c.Decide("get", "Bearer a", ""); d.Mode != Passthrough || d.Reason != "fallback" {
		t.Fatalf("not in fallback: %+v", d)
	}
	if c.Decide("list", "Bearer a", "").Mode != Translate {
		t.Fatal("fallback leaked to another route")
	}
	if st := c.Status().Fallbacks["get"]; !st.Active || st.ErrorRate != 1 || st.Until != nil {
		t.Fatalf("status %+v", st)
	}
	next := fallbackConfig()
	next.HeaderOverride = true
	if err := c.Update(next); err != nil {
		t.Fatal(err)
	}
	clk.advance(time.Hour)
	if c.Decide("get", "Bearer a", "").Mode != Passthrough {
		t.Fatal("fallback without cool-down ended by itself or on Update")
	}
	if !c.ResetFallback("get") || c.Decide("get", "Bearer a", "").Mode != Translate {
		t.Fatal("operator reset did not work")
	}
}

func TestFallbackBelowThresholdAndOldFailuresAge(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	c := controller(t, fallbackConfig(), clk)
	feed(c, "create", 6, 4)
	if c.Decide("create", "Bearer a", "").Mode != Translate {
		t.Fatal("tripped below the error rate")
	}
	clk.advance(2 * time.Minute)
	feed(c, "create", 5, 4)
	if c.Decide("create", "Bearer a", "").Mode != Translate {
		t.Fatal("failures older than the window counted")
	}
}

func TestFallbackCoolDown(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	cfg := fallbackConfig()
	cfg.Fallback.CoolDown = Duration(5 * time.Minute)
	c := controller(t, cfg, clk)
	feed(c, "list", 0, 10)
	if c.Decide("list", "Bearer a", "").Mode != Passthrough {
		t.Fatal("not tripped")
	}
	clk.advance(4 * time.Minute)
	if c.Decide("list", "Bearer a", "").Mode != Passthrough {
		t.Fatal("cool-down ended early")
	}
	clk.advance(time.Minute)
	if c.Decide("list", "Bearer a", "").Mode != Translate {
		t.Fatal("cool-down did not end")
	}
}

func TestPassthroughOutcomesDoNotFeedTheBreaker(t *testing.T) {
	c := controller(t, fallbackConfig(), nil)
	for i := 0; i < 50; i++ {
		c.Observe("get", Decision{Mode: Passthrough, Serve: Passthrough}, 500, false)
		c.Observe("get", Decision{Mode: Shadow, Serve: Passthrough}, 500, false)
	}
	if c.Decide("get", "Bearer a", "").Mode != Translate {
		t.Fatal("passthrough failures tripped the translate breaker")
	}
}

func TestHandler(t *testing.T) {
	c := controller(t, fallbackConfig(), nil)
	feed(c, "get", 0, 10)
	srv := httptest.NewServer(c.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/admin/rollout")
	if err != nil {
		t.Fatal(err)
	}
	var st Status
	json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if !st.Fallbacks["get"].Active || st.DefaultMode != Translate {
		t.Fatalf("status %+v", st)
	}
	resp, _ = http.Post(srv.URL+"/admin/rollout/reset?route=get", "", nil)
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if out["reset"] != true || c.Decide("get", "Bearer a", "").Mode != Translate {
		t.Fatalf("reset answer %v", out)
	}
	resp, _ = http.Post(srv.URL+"/admin/rollout/reset?route=nope", "", nil)
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("unknown route reset: %d", resp.StatusCode)
	}
}
