package sim

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Regression (issue 12.2): the request log showed batch secrets and create
// secrets in plain text.
func TestRequestLogRedactsSecretsAndCredentials(t *testing.T) {
	e := newEnv(t, Options{})
	e.do("POST", "/workflow_runs/batch", `{"workflow":{"id":"workflow_a"},"inputs":[
		{"file":{"text":"x"},"secrets":{"erpApiKey":"sk_live_SECRET_1","nested":{"k":"SECRET_2"},"list":["SECRET_3"]}}]}`).mustStatus(t, 200)
	e.do("POST", "/workflow_runs", `{"workflow":{"id":"workflow_a"},"file":{"text":"x"},"secrets":{"k":"SECRET_4"}}`).mustStatus(t, 200)
	req, _ := http.NewRequest("GET", e.srv.URL+"/workflow_runs", nil)
	req.Header.Set("x-extend-api-version", newVersion)
	req.Header.Set("Authorization", "Bearer sk_test_secret")
	req.Header.Set("Cookie", "session=SECRET_5")
	req.Header.Set("X-Api-Key", "SECRET_6")
	e.send(req)

	log := e.do("GET", "/_sim/requests", "").mustStatus(t, 200)
	for _, s := range []string{"SECRET_1", "SECRET_2", "SECRET_3", "SECRET_4", "SECRET_5", "SECRET_6", "sk_test_secret"} {
		if strings.Contains(string(log.body), s) {
			t.Fatalf("the request log shows %s: %s", s, log.body)
		}
	}
	if got := log.json.Get(`0.Body.inputs.0.secrets.erpApiKey`).String(); got != redacted {
		t.Fatalf("secrets key not kept as %s: %q", redacted, got)
	}
	if got := log.json.Get(`0.Body.inputs.0.file.text`).String(); got != "x" {
		t.Fatalf("a non-secret value was changed: %q", got)
	}
	if got := log.json.Get(`2.Header.Cookie.0`).String(); got != redacted {
		t.Fatalf("Cookie recorded as %q", got)
	}
}

// Regression (issue 12.2): the log grew without bound.
func TestRequestLogIsABoundedRing(t *testing.T) {
	e := newEnv(t, Options{MaxRecorded: 50})
	for i := 0; i < 180; i++ {
		e.do("GET", fmt.Sprintf("/workflow_runs?nextPageToken=n%d", i), "")
	}
	reqs := e.sim.Requests()
	if len(reqs) != 50 {
		t.Fatalf("%d entries kept, want 50", len(reqs))
	}
	for i, r := range reqs {
		if want := fmt.Sprintf("nextPageToken=n%d", 130+i); r.Query != want {
			t.Fatalf("entry %d is %q, want %q (newest last)", i, r.Query, want)
		}
	}
	big := `{"workflow":{"id":"workflow_a"},"file":{"text":"` + strings.Repeat("a", maxRecordedBodySize) + `"}}`
	e.do("POST", "/workflow_runs", big)
	last := e.sim.Requests()[49]
	if len(last.Body) > 100 || !strings.Contains(string(last.Body), "bytes, not recorded") {
		t.Fatalf("a large body was recorded whole (%d bytes)", len(last.Body))
	}
	e.do("DELETE", "/_sim/requests", "").mustStatus(t, 204)
	if n := len(e.sim.Requests()); n != 0 {
		t.Fatalf("%d entries after reset", n)
	}
}
