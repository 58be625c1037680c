package proxy

import (
	"net/http"
	"strings"
	"testing"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// TestBadInputOnEveryMethod sends bad input to every translated method of
// the legacy SDK through the proxy on the simulator: bodies that are not
// JSON, not objects or miss what is required, and ids that do not exist.
// Every answer is a legacy-shaped 4xx, never a 5xx, and nothing is created
// or changed upstream.
func TestBadInputOnEveryMethod(t *testing.T) {
	e := newEnv(t, nil)
	routes := translate.DefaultRoutes()
	if len(routes) != 37 {
		t.Fatalf("%d translated routes, want the 37 methods of the legacy SDK", len(routes))
	}
	e.sim.ResetRequests()
	tried := 0
	for _, rt := range routes {
		path := rt.Path
		for _, v := range []string{"{id}", "{outputId}", "{processorId}", "{processorVersionId}"} {
			path = strings.ReplaceAll(path, v, "unknown_"+strings.Trim(v, "{}"))
		}
		var bodies []string
		switch rt.Method {
		case http.MethodPost:
			bodies = []string{`not json`, `[1,2]`, `{"workflowId":7,"processorId":7,"name":7,"file":"x","fileId":7,"items":"x",` +
				`"evaluationSetId":7,"expectedOutput":"x","releaseType":7,"config":7,"reviewedOutput":7}`}
			if strings.Contains(rt.Path, "{") {
				bodies = append(bodies, `{}`) // with an unknown id
			}
		default:
			if !strings.Contains(rt.Path, "{") {
				continue // a list without an id has no bad input of its own
			}
			bodies = []string{""}
		}
		for _, body := range bodies {
			tried++
			res := e.legacy(rt.Method, path, body)
			if res.status < 400 || res.status >= 500 {
				t.Errorf("%s %s %q: status %d, want a 4xx; body %s", rt.Method, path, body, res.status, res.body)
				continue
			}
			wantLegacyError(t, res.body)
		}
	}
	// Uploads: not multipart, and multipart over the limit.
	res := e.legacy("POST", "/files/upload", `{"file":"x"}`)
	if res.status != 400 {
		t.Errorf("JSON upload: %d %s", res.status, res.body)
	}
	for _, r := range e.sim.Requests() {
		if r.Method != http.MethodGet && r.Status < 400 {
			t.Errorf("bad input changed upstream state: %s %s answered %d", r.Method, r.Path, r.Status)
		}
	}
	if tried < 40 {
		t.Errorf("only %d bad requests tried", tried)
	}
}
