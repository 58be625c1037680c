package shadow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"
)

func answer(status int, body string) func(context.Context) (int, []byte, error) {
	return func(context.Context) (int, []byte, error) { return status, []byte(body), nil }
}

// counterValue reads a counter without prometheus/testutil, whose dependencies are not in go.sum.
func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}

func collectCount(c prometheus.Collector) int {
	ch := make(chan prometheus.Metric, 1024)
	go func() { c.Collect(ch); close(ch) }()
	n := 0
	for range ch {
		n++
	}
	return n
}

func gathered(t *testing.T, reg *prometheus.Registry, name string) bool {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return true
		}
	}
	return false
}

func closeNow(t *testing.T, s *Shadower) {
	t.Helper()
	if err := s.Close(context.Background()); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func totals(s *Shadower, route string) map[string]int64 {
	for _, r := range s.Report().Routes {
		if r.Route == route {
			return r.Totals
		}
	}
	return nil
}

func TestQueueNeverBlocksAndDropsWhenFull(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Concurrency, cfg.QueueSize = 1, 1
	reg := prometheus.NewRegistry()
	s := New(cfg, reg, nil, nil)
	started, gate := make(chan struct{}), make(chan struct{})
	blocker := Job{Route: "get", ServedStatus: 200, ServedBody: []byte(`{}`),
		Run: func(context.Context) (int, []byte, error) { close(started); <-gate; return 200, []byte(`{}`), nil }}
	if !s.Submit(blocker) {
		t.Fatal("first job refused")
	}
	<-started
	queued := Job{Route: "get", ServedStatus: 200, ServedBody: []byte(`{}`), Run: answer(200, `{}`)}
	if !s.Submit(queued) {
		t.Fatal("second job should wait in the queue")
	}
	for range 3 {
		if s.Submit(queued) { // must return at once although the worker is stuck
			t.Fatal("a full queue accepted a job")
		}
	}
	if got := counterValue(s.metrics.requests.WithLabelValues("get", OutcomeDropped)); got != 3 {
		t.Errorf("dropped metric = %v, want 3", got)
	}
	if d := s.Report().QueueDepth; d != 1 {
		t.Errorf("queue depth = %d, want 1", d)
	}
	close(gate)
	closeNow(t, s)
	if got := totals(s, "get"); got[OutcomeMatch] != 2 || got[OutcomeDropped] != 3 {
		t.Errorf("totals = %v", got)
	}
	if s.Submit(queued) {
		t.Error("a closed Shadower accepted a job")
	}
	if !gathered(t, reg, "extend_compat_shadow_queue_depth") {
		t.Error("queue depth gauge not registered")
	}
}

func TestTimeoutOfStuckJobCallsCleanup(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Timeout = Duration(20 * time.Millisecond)
	s := New(cfg, nil, nil, nil)
	var cleaned []byte
	cleanedCalled := false
	s.Submit(Job{Route: "create", ServedStatus: 200, ServedBody: []byte(`{}`),
		Run: func(ctx context.Context) (int, []byte, error) { <-ctx.Done(); return 0, nil, ctx.Err() },
		Cleanup: func(ctx context.Context, body []byte) {
			cleanedCalled, cleaned = true, body
			if ctx.Err() != nil {
				t.Error("cleanup got an expired context")
			}
		}})
	closeNow(t, s)
	if !cleanedCalled || cleaned != nil {
		t.Errorf("cleanup called=%v body=%q", cleanedCalled, cleaned)
	}
	r := s.Report().Routes[0]
	if r.Totals[OutcomeShadowError] != 1 || !strings.Contains(r.LastError, "deadline") {
		t.Errorf("route report = %+v", r)
	}
}

func TestCleanupOnSuccessAndError(t *testing.T) {
	s := New(DefaultConfig(), nil, nil, nil)
	var mu sync.Mutex
	got := map[string]string{}
	cleanup := func(name string) func(context.Context, []byte) {
		return func(_ context.Context, b []byte) { mu.Lock(); got[name] = string(b); mu.Unlock() }
	}
	s.Submit(Job{Route: "create", ServedStatus: 200, ServedBody: []byte(`{"id":"a"}`),
		Run: answer(200, `{"id":"b"}`), Cleanup: cleanup("ok")})
	s.Submit(Job{Route: "create", Run: func(context.Context) (int, []byte, error) { return 0, nil, errors.New("boom") },
		Cleanup: cleanup("err")})
	s.Submit(Job{Route: "create", Run: func(context.Context) (int, []byte, error) { panic("bad") }, Cleanup: cleanup("panic")})
	s.Submit(Job{Route: "create", Cleanup: cleanup("norun")})
	closeNow(t, s)
	want := map[string]string{"ok": `{"id":"b"}`, "err": "", "panic": "", "norun": ""}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("cleanups = %v, want %v", got, want)
	}
	if tt := totals(s, "create"); tt[OutcomeMismatch] != 1 || tt[OutcomeShadowError] != 3 {
		t.Errorf("totals = %v", tt)
	}
}

func TestCloseDeadlineCancelsRunningJobs(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Concurrency, cfg.Timeout = 1, Duration(time.Hour)
	s := New(cfg, nil, nil, nil)
	started := make(chan struct{})
	s.Submit(Job{Route: "get", Run: func(ctx context.Context) (int, []byte, error) {
		close(started)
		<-ctx.Done()
		return 0, nil, ctx.Err()
	}})
	<-started
	s.Submit(Job{Route: "get", Run: answer(200, `{}`)})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Close(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Close = %v, want context.Canceled", err)
	}
	s.workers.Wait()
	if tt := totals(s, "get"); tt[OutcomeShadowError] != 1 || tt[OutcomeDropped] != 1 {
		t.Errorf("totals = %v", tt)
	}
}

func TestAllowWriteSamplingAndBudget(t *testing.T) {
	now := time.Date(2026, 2, 9, 12, 0, 0, 0, time.UTC)
	cfg := DefaultConfig()
	s := New(cfg, nil, nil, func() time.Time { return now })
	defer closeNow(t, s)
	draws := []float64{0.1, 0.9, 0.2, 0.3, 0.4, 0.05}
	s.SetRandom(func() float64 { v := draws[0]; draws = draws[1:]; return v })
	if s.AllowWrite("create") {
		t.Fatal("writes are off by default")
	}
	cfg.Writes, cfg.WriteSampleRate, cfg.WriteBudgetPerMinute = true, 0.5, 2
	s.Update(cfg)
	if s.AllowWrite("get") || s.AllowWrite("nonsense") {
		t.Fatal("only write routes are write-shadowed")
	}
	var got []bool
	for range 4 { // draws 0.1 yes, 0.9 no, 0.2 yes, 0.3 sampled but budget spent
		got = append(got, s.AllowWrite("create"))
	}
	if fmt.Sprint(got) != "[true false true false]" {
		t.Errorf("first minute = %v", got)
	}
	now = now.Add(time.Minute)
	if !s.AllowWrite("batch") {
		t.Error("a new minute refills the budget")
	}
	cfg.WriteBudgetPerMinute = 0
	s.Update(cfg)
	if s.AllowWrite("create") {
		t.Error("budget 0 allows no write")
	}
	if !s.ShouldShadow("list") {
		t.Error("reads are shadowed by default")
	}
}

func TestMismatchReportKeepsNoValues(t *testing.T) {
	const secret = "sk_live_SECRET_VALUE_42"
	core, logs := observer.New(zap.DebugLevel)
	s := New(DefaultConfig(), nil, zap.New(core), nil)
	s.Submit(Job{Route: "get", Served: "passthrough", ServedStatus: 200,
		ServedBody: []byte(`{"workflowRun":{"name":"` + secret + `","n":1,"files":[1]}}`),
		Run:        answer(200, `{"workflowRun":{"name":"other","n":"1","files":[1,2]}}`)})
	closeNow(t, s)
	rep := s.Report()
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, e := range logs.All() {
		all.WriteString(e.Message + fmt.Sprint(e.ContextMap()))
	}
	if strings.Contains(string(b), secret) || strings.Contains(all.String(), secret) {
		t.Fatalf("secret leaked: report %s logs %s", b, all.String())
	}
	if !strings.Contains(all.String(), "workflowRun.name") {
		t.Errorf("mismatch log lacks paths: %s", all.String())
	}
	if len(rep.Recent) != 3 || rep.Recent[0].ServedType == "" || rep.Recent[0].ServedValue != nil {
		t.Errorf("recent = %+v", rep.Recent)
	}
	if tp := rep.Routes[0].TopPaths; len(tp) != 3 {
		t.Errorf("top paths = %+v", tp)
	}
}

func TestStoreValuesKeepsValuesAndBoundsStore(t *testing.T) {
	cfg := DefaultConfig()
	cfg.StoreValues, cfg.StoreSize, cfg.Concurrency = true, 2, 1
	s := New(cfg, nil, nil, nil)
	for i := range 3 {
		s.Submit(Job{Route: "get", ServedStatus: 200, ServedBody: []byte(fmt.Sprintf(`{"v":%d}`, i)), Run: answer(200, `{"v":"x"}`)})
	}
	closeNow(t, s)
	rec := s.Report().Recent
	if len(rec) != 2 || string(rec[0].ServedValue) != "2" || string(rec[0].ShadowValue) != `"x"` {
		t.Errorf("recent = %+v", rec)
	}
}

func TestLossyAndStatus(t *testing.T) {
	reg := prometheus.NewRegistry()
	s := New(DefaultConfig(), reg, nil, nil)
	s.Submit(Job{Route: "get", ServedStatus: 200, ServedBody: []byte(`{"a":1,"files":[{"usage":1}]}`),
		Run: answer(200, `{"a":1,"files":[{}]}`), LossyPaths: []string{"files.#.usage"}})
	s.Submit(Job{Route: "list", ServedStatus: 200, ServedBody: []byte(`{}`), Run: answer(502, `{}`)})
	closeNow(t, s)
	rep := s.Report()
	if rep.Routes[0].Route != "get" || rep.Routes[0].Totals[OutcomeMatch] != 1 ||
		len(rep.Routes[0].LossyPaths) != 1 || rep.Routes[0].LossyPaths[0].Path != "files.#.usage" {
		t.Errorf("get = %+v", rep.Routes[0])
	}
	if got := counterValue(s.metrics.lossy.WithLabelValues("get", "files.#.usage")); got != 1 {
		t.Errorf("lossy metric = %v", got)
	}
	if rep.Routes[1].Totals[OutcomeMismatch] != 1 || rep.Recent[0].Kind != KindStatus || string(rep.Recent[0].ShadowValue) != "502" {
		t.Errorf("list = %+v recent %+v", rep.Routes[1], rep.Recent)
	}
}

func TestPathLabelCardinalityCap(t *testing.T) {
	var a, b strings.Builder
	a.WriteString("{")
	for i := range maxPathLabels + 5 {
		fmt.Fprintf(&a, `"k%d":1,`, i)
	}
	a.WriteString(`"z":1}`)
	b.WriteString("{}")
	s := New(DefaultConfig(), nil, nil, nil)
	s.Submit(Job{Route: "get", ServedStatus: 200, ServedBody: []byte(a.String()), Run: answer(200, b.String())})
	closeNow(t, s)
	if got := counterValue(s.metrics.paths.WithLabelValues("get", OtherLabel)); got != 6 {
		t.Errorf("other = %v, want 6", got)
	}
	if n := collectCount(s.metrics.paths); n != maxPathLabels+1 {
		t.Errorf("label sets = %d", n)
	}
}

func TestReportShape(t *testing.T) {
	now := time.Date(2026, 2, 9, 12, 30, 15, 0, time.UTC)
	s := New(DefaultConfig(), nil, nil, func() time.Time { return now })
	s.Submit(Job{Route: "list", ServedStatus: 200, ServedBody: []byte(`{}`), Run: answer(200, `{}`)})
	closeNow(t, s)
	var m map[string]any
	b, _ := json.Marshal(s.Report())
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"generatedAt", "settings", "queueDepth", "queueCapacity", "routes", "recent"} {
		if _, ok := m[k]; !ok {
			t.Errorf("report lacks %q: %s", k, b)
		}
	}
	r := m["routes"].([]any)[0].(map[string]any)
	mins := r["minutes"].([]any)
	last := mins[len(mins)-1].(map[string]any)
	if len(mins) != 60 || r["matchRate"] != 1.0 || last["matchRate"] != 1.0 || last["start"] != "2026-02-09T12:30:00Z" {
		t.Errorf("route = %v", r)
	}
	if mins[0].(map[string]any)["matchRate"] != nil {
		t.Error("an empty minute has a null match rate")
	}
	if s := m["settings"].(map[string]any); s["timeout"] != "30s" {
		t.Errorf("settings = %v", s)
	}
}

// Job.Ignore applies to its own job only, on top of Config.Ignore.
func TestJobIgnoreIsPerJob(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Ignore = []string{"t"}
	s := New(cfg, nil, nil, nil)
	served := []byte(`{"id":"r1","t":1,"v":1}`)
	s.Submit(Job{Route: "create", ServedStatus: 200, ServedBody: served, Run: answer(200, `{"id":"r2","t":2,"v":1}`), Ignore: []string{"id"}})
	s.Submit(Job{Route: "get", ServedStatus: 200, ServedBody: served, Run: answer(200, `{"id":"r2","t":2,"v":1}`)})
	closeNow(t, s)
	if got := totals(s, "create"); got[OutcomeMatch] != 1 {
		t.Errorf("create with Ignore: %v", got)
	}
	if got := totals(s, "get"); got[OutcomeMismatch] != 1 {
		t.Errorf("get without Ignore must still see the id: %v", got)
	}
	if len(cfg.Ignore) != 1 {
		t.Error("Config.Ignore was modified")
	}
}
