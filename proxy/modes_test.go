package proxy

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tidwall/gjson"
	"go.uber.org/zap"

	"github.com/extend-compat-proxy/extend-compat-proxy/rollout"
	"github.com/extend-compat-proxy/extend-compat-proxy/shadow"
)

// withModes installs a rollout controller and a shadower built from the given configs.
func withModes(t *testing.T, rc rollout.Config, sc shadow.Config) (func(*Options), *rollout.Controller, *shadow.Shadower) {
	t.Helper()
	ctrl, err := rollout.New(rc, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sh := shadow.New(sc, nil, zap.NewNop(), nil)
	t.Cleanup(func() { sh.Close(context.Background()) })
	return func(o *Options) { o.Modes, o.Shadow = ctrl, sh }, ctrl, sh
}

func drain(t *testing.T, sh *shadow.Shadower) shadow.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := sh.Close(ctx); err != nil {
		t.Fatal(err)
	}
	return sh.Report()
}

func routeReport(rep shadow.Report, route string) shadow.RouteReport {
	for _, r := range rep.Routes {
		if r.Route == route {
			return r
		}
	}
	return shadow.RouteReport{Totals: map[string]int64{}}
}

func TestPassthroughModeSendsLegacyRequestUnchanged(t *testing.T) {
	rc := rollout.DefaultConfig()
	rc.DefaultMode = rollout.Passthrough
	opt, _, _ := withModes(t, rc, shadow.DefaultConfig())
	e := newEnv(t, nil, opt)
	body := `{"workflowId":"workflow_pt","files":[{"fileUrl":"https://x.example/a.pdf","fileName":"a.pdf"}]}`
	r := e.legacy("POST", "/workflow_runs", body)
	wantStatus(t, r, 200)
	if url := r.get("workflowRuns.0.url").String(); !strings.Contains(url, "?workflowRunId=") {
		t.Fatalf("not answered by the legacy API: url %s", url)
	}
	recs := e.sim.Requests()
	last := recs[len(recs)-1]
	if last.Header.Get("X-Extend-Api-Version") != "2025-04-21" || string(last.Body) != body {
		t.Fatalf("legacy request altered: %v %s", last.Header, last.Body)
	}
	var entry map[string]any
	for _, l := range e.logs.FilterMessage("request").All() {
		entry = l.ContextMap()
	}
	if entry["mode"] != "passthrough" {
		t.Fatalf("access log mode %v", entry["mode"])
	}
}

func TestHeaderOverrideAndKillSwitch(t *testing.T) {
	rc := rollout.DefaultConfig()
	rc.HeaderOverride = true
	opt, ctrl, _ := withModes(t, rc, shadow.DefaultConfig())
	e := newEnv(t, nil, opt)
	h := http.Header{"X-Extend-Api-Version": {"2025-04-21"}, "X-Extend-Compat-Mode": {"passthrough"}}
	r := e.do("POST", "/workflow_runs", `{"workflowId":"workflow_o","rawTexts":["x"]}`, h)
	wantStatus(t, r, 200)
	last := e.sim.Requests()[len(e.sim.Requests())-1]
	if last.Header.Get("X-Extend-Api-Version") != "2025-04-21" || last.Header.Get("X-Extend-Compat-Mode") != "" {
		t.Fatalf("override not honoured or forwarded: %v", last.Header)
	}
	kill := rc
	kill.KillSwitch = true
	if err := ctrl.Update(kill); err != nil {
		t.Fatal(err)
	}
	e.legacy("GET", "/workflow_runs", "")
	last = e.sim.Requests()[len(e.sim.Requests())-1]
	if last.Header.Get("X-Extend-Api-Version") != "2025-04-21" {
		t.Fatalf("kill switch did not pass through: %v", last.Header)
	}
}

// The translated path breaks (untranslatable answers); after minRequests the
// route falls back to passthrough and clients are served again.
func TestAutomaticFallback(t *testing.T) {
	var legacyCalls atomic.Int32
	up := upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Extend-Api-Version") == "2025-04-21" {
			legacyCalls.Add(1)
			jsonReply(w, 200, `{"success":true,"workflowRuns":[]}`)
			return
		}
		jsonReply(w, 200, `{"object":"list","data":"not-a-list"}`)
	})
	rc := rollout.DefaultConfig()
	rc.Fallback = rollout.Fallback{Enabled: true, Window: rollout.Duration(time.Minute), MinRequests: 5, ErrorRate: 0.5}
	opt, ctrl, _ := withModes(t, rc, shadow.DefaultConfig())
	e := newEnv(t, up, opt)
	for i := 0; i < 5; i++ {
		wantStatus(t, e.legacy("GET", "/workflow_runs", ""), 502)
	}
	wantStatus(t, e.legacy("GET", "/workflow_runs", ""), 200)
	if legacyCalls.Load() != 1 || !ctrl.Status().Fallbacks["list"].Active {
		t.Fatalf("no fallback: legacy calls %d", legacyCalls.Load())
	}
	ctrl.ResetFallback("list")
	wantStatus(t, e.legacy("GET", "/workflow_runs", ""), 502)
}

func shadowConfig() shadow.Config {
	sc := shadow.DefaultConfig()
	sc.Timeout = shadow.Duration(10 * time.Second)
	return sc
}

// Shadow writes create tagged runs that are cancelled and deleted afterwards.
func TestShadowWriteCleanup(t *testing.T) {
	rc := rollout.DefaultConfig()
	rc.DefaultMode = rollout.Shadow
	sc := shadowConfig()
	sc.Writes, sc.WriteSampleRate, sc.WriteBudgetPerMinute, sc.StoreValues = true, 1, 100, true
	opt, _, sh := withModes(t, rc, sc)
	e := newEnv(t, nil, opt)
	r := e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_sw","rawTexts":["a","b"],"metadata":{"k":"v"}}`)
	wantStatus(t, r, 200)
	served := r.get("workflowRuns.#.id").Array()
	rep := drain(t, sh)
	if n := e.sim.RunCount(); n != len(served) {
		t.Fatalf("%d runs exist, want only the %d served ones", n, len(served))
	}
	tagged := 0
	for _, rec := range e.sim.Requests() {
		if rec.Method == "POST" && rec.Path == "/workflow_runs" && gjson.GetBytes(rec.Body, "metadata.extend-compat-shadow").Bool() {
			tagged++
		}
	}
	if tagged != 2 {
		t.Fatalf("%d tagged shadow creates, want 2", tagged)
	}
	if c := routeReport(rep, "create"); c.Totals["shadow_error"] != 0 || c.Totals["match"] != 1 {
		for _, d := range rep.Recent {
			t.Logf("%s %s %s/%s %s | %s", d.Path, d.Kind, d.ServedType, d.ShadowType, d.ServedValue, d.ShadowValue)
		}
		t.Fatalf("create shadow totals %v (%s)", c.Totals, c.LastError)
	}
}

// Writes are not shadowed unless enabled; the served answer is unchanged either way.
func TestShadowWritesOffByDefault(t *testing.T) {
	rc := rollout.DefaultConfig()
	rc.DefaultMode = rollout.Shadow
	opt, _, sh := withModes(t, rc, shadowConfig())
	e := newEnv(t, nil, opt)
	wantStatus(t, e.legacy("POST", "/workflow_runs", `{"workflowId":"workflow_sw","rawTexts":["a"]}`), 200)
	rep := drain(t, sh)
	if c := routeReport(rep, "create"); c.Totals["match"]+c.Totals["mismatch"] != 0 || e.sim.RunCount() != 1 {
		t.Fatalf("write shadowed although writes are off: %v, %d runs", c.Totals, e.sim.RunCount())
	}
}

// A full shadow queue drops and counts; every client is still served.
func TestShadowQueueFullDropsWithoutSlowingClients(t *testing.T) {
	release := make(chan struct{})
	up := upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Extend-Api-Version") == "2026-02-09" {
			<-release // the shadow (translate) path hangs
		}
		jsonReply(w, 200, `{"success":true,"workflowRuns":[]}`)
	})
	rc := rollout.DefaultConfig()
	rc.DefaultMode = rollout.Shadow
	sc := shadowConfig()
	sc.QueueSize, sc.Concurrency = 1, 1
	opt, _, sh := withModes(t, rc, sc)
	e := newEnv(t, up, opt)
	for i := 0; i < 6; i++ {
		wantStatus(t, e.legacy("GET", "/workflow_runs", ""), 200)
	}
	close(release)
	rep := drain(t, sh)
	if d := routeReport(rep, "list").Totals["dropped"]; d < 4 {
		t.Fatalf("dropped %d, want at least 4 of 6 with one worker and a queue of one", d)
	}
}

// TestDifferentialShadow drives generated scenarios through shadow mode: the
// simulator's own 2025-04-21 rendering serves, the translated path shadows,
// and no difference may remain outside the documented lossy paths. Two
// independent implementations check each other.
func TestDifferentialShadow(t *testing.T) {
	rc := rollout.DefaultConfig()
	rc.DefaultMode = rollout.Shadow
	sc := shadowConfig()
	sc.StoreValues = true
	opt, _, sh := withModes(t, rc, sc)
	e := newEnv(t, nil, opt)
	rng := rand.New(rand.NewPCG(7, 11))
	scripts := []string{"", "_fail", "_review", "_reviewed", "_reject", "_invoice"}
	var ids []string
	workflows := map[string]bool{}
	for i := 0; i < 24; i++ {
		wf := fmt.Sprintf("workflow_diff%d%s", i%6, scripts[rng.IntN(len(scripts))])
		workflows[wf] = true
		body := scenarioBody(rng, wf)
		r := e.legacyDirect(body)
		for _, id := range gjson.GetBytes(r, "workflowRuns.#.id").Array() {
			ids = append(ids, id.String())
		}
	}
	for _, id := range ids {
		e.waitDirect(id) // straight at the sim: only settled runs are compared
	}
	for _, id := range ids {
		wantStatus(t, e.legacy("GET", "/workflow_runs/"+id, ""), 200)
	}
	for wf := range workflows {
		wantStatus(t, e.legacy("GET", "/workflow_runs?workflowId="+wf+"&sortBy=createdAt&sortDir=asc", ""), 200)
	}
	rep := drain(t, sh)
	for _, route := range []string{"get", "list"} {
		rr := routeReport(rep, route)
		if rr.Totals["match"] == 0 || rr.Totals["mismatch"] != 0 || rr.Totals["shadow_error"] != 0 || rr.Totals["dropped"] != 0 {
			for _, d := range rep.Recent {
				t.Logf("%+v", d)
			}
			t.Fatalf("%s: %v top paths %v (%s)", route, rr.Totals, rr.TopPaths, rr.LastError)
		}
		t.Logf("%s: %v; lossy paths set aside: %v", route, rr.Totals, rr.LossyPaths)
	}
}

// scenarioBody is a random legacy create: files by URL (named or not), by id, and raw texts.
func scenarioBody(rng *rand.Rand, wf string) string {
	var files []string
	for j := rng.IntN(3); j >= 0; j-- {
		switch rng.IntN(3) {
		case 0:
			files = append(files, fmt.Sprintf(`{"fileUrl":"https://x.example/in/doc-%d.pdf","fileName":"doc-%d.pdf"}`, rng.IntN(1000), rng.IntN(1000)))
		case 1:
			files = append(files, fmt.Sprintf(`{"fileUrl":"https://x.example/in/scan-%d.pdf"}`, rng.IntN(1000)))
		default:
			files = append(files, fmt.Sprintf(`{"fileId":"file_diff%d"}`, rng.IntN(1000)))
		}
	}
	version := []string{``, `"version":"draft",`, `"version":"3",`}[rng.IntN(3)]
	raw := ""
	if rng.IntN(2) == 0 {
		raw = `,"rawTexts":["Invoice #` + fmt.Sprint(rng.IntN(100)) + `\nTotal: 88.00"]`
	}
	return fmt.Sprintf(`{"workflowId":%q,%s"metadata":{"n":%d},"files":[%s]%s}`, wf, version, rng.IntN(9), strings.Join(files, ","), raw)
}

// legacyDirect creates runs through the simulator's own 2025-04-21 surface.
func (e *env) legacyDirect(body string) []byte {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.upstream.URL+"/workflow_runs", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer k")
	req.Header.Set("X-Extend-Api-Version", "2025-04-21")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b := readAllBody(resp)
	if resp.StatusCode != 200 {
		e.t.Fatalf("direct legacy create: %d %s", resp.StatusCode, b)
	}
	return b
}

// waitDirect polls the simulator's legacy surface until the run is settled.
func (e *env) waitDirect(id string) {
	e.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		req, _ := http.NewRequest("GET", e.upstream.URL+"/workflow_runs/"+id, nil)
		req.Header.Set("Authorization", "Bearer k")
		req.Header.Set("X-Extend-Api-Version", "2025-04-21")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			e.t.Fatal(err)
		}
		b := readAllBody(resp)
		resp.Body.Close()
		s := gjson.GetBytes(b, "workflowRun.status").String()
		if s != "PENDING" && s != "PROCESSING" {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("run %s still %s", id, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
