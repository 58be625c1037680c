package proxy

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// nextVersion is a hypothetical API version after 2026-02-09 whose one
// change renames a run's status to state. Adding it needs no change to this
// package: a registry with one more Step, and the upstream version set.
const nextVersion = "2027-01-01"

func nextStep() *translate.Step {
	rename := func(from, to string) translate.Transform {
		return func(_ *translate.Context, m translate.Message) (translate.Message, error) {
			out := translate.Message{Query: m.Query}
			for _, b := range m.Bodies {
				out.Bodies = append(out.Bodies, []byte(strings.Replace(string(b), from, to, 1)))
			}
			return out, nil
		}
	}
	back := rename(`"state":`, `"status":`)
	return &translate.Step{From: translate.NewVersion, To: nextVersion,
		Objects: map[string]map[string]string{"Run": {translate.RouteGet: ""}},
		Endpoints: map[string]translate.Endpoint{
			translate.RouteGet:    {Response: back},
			translate.RouteCreate: {Response: back},
		},
		Changes: []translate.Change{{Name: "status-is-state", Tag: translate.TagDirect,
			Routes: []string{translate.RouteGet, translate.RouteCreate}, Golden: []string{"next_get"},
			Description: "A run's status is called state."}},
	}
}

func TestThirdVersionNeedsNoProxyChange(t *testing.T) {
	reg, err := translate.NewRegistry(append(translate.Default.Steps(), nextStep())...)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var versions []string
	up := upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		versions = append(versions, r.Header.Get("X-Extend-Api-Version"))
		mu.Unlock()
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/workflow_runs/workflow_run_1":
			jsonReply(w, 200, `{"object":"workflow_run","id":"workflow_run_1","state":"PROCESSED","dashboardUrl":"https://d/x",`+
				`"workflow":{"id":"workflow_1","name":"W"},"workflowVersion":{"id":"v","version":"3"},"files":[],"stepRuns":[],`+
				`"initialRunAt":"2027-01-02T00:00:00Z","createdAt":"2027-01-02T00:00:00Z","updatedAt":"2027-01-02T00:00:00Z"}`)
		default:
			jsonReply(w, 404, `{"code":"NOT_FOUND","message":"no such run","retryable":false}`)
		}
	})
	e := newEnv(t, up, func(o *Options) { o.Registry, o.UpstreamVersion = reg, nextVersion })

	// A 2025-04-21 client goes through both steps.
	res := e.legacy("GET", "/workflow_runs/workflow_run_1", "")
	wantStatus(t, res, 200)
	if res.get("workflowRun.status").String() != "PROCESSED" || res.get("workflowRun.state").Exists() || !res.get("success").Bool() {
		t.Errorf("legacy client got %s", res.body)
	}
	// A 2026-02-09 client is translated by the second step only.
	res = e.do("GET", "/workflow_runs/workflow_run_1", "", http.Header{"X-Extend-Api-Version": {translate.NewVersion}})
	wantStatus(t, res, 200)
	if res.get("status").String() != "PROCESSED" || res.get("success").Exists() {
		t.Errorf("2026-02-09 client got %s", res.body)
	}
	// Its errors keep its own (ApiError) shape; the legacy client's keep the legacy shape.
	res = e.do("GET", "/workflow_runs/workflow_run_2", "", http.Header{"X-Extend-Api-Version": {translate.NewVersion}})
	if res.status != 404 || res.get("message").String() != "no such run" || res.get("success").Exists() {
		t.Errorf("2026-02-09 client error: %d %s", res.status, res.body)
	}
	res = e.legacy("GET", "/workflow_runs/workflow_run_2", "")
	if res.status != 404 || res.get("success").Bool() || res.get("error").String() != "no such run" {
		t.Errorf("legacy client error: %d %s", res.status, res.body)
	}
	// A client already on the newest version passes through untouched.
	res = e.do("GET", "/workflow_runs/workflow_run_1", "", http.Header{"X-Extend-Api-Version": {nextVersion}})
	if res.get("state").String() != "PROCESSED" {
		t.Errorf("newest client got %s", res.body)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, v := range versions {
		if v != nextVersion {
			t.Errorf("upstream saw x-extend-api-version %q, want %s for every call", v, nextVersion)
		}
	}
}
