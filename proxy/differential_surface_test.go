package proxy

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/rollout"
)

// direct sends a 2025-04-21 request straight to the simulator's own legacy
// rendering (the second implementation) and returns the answer.
func (e *env) direct(method, path, ct string, body []byte) []byte {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.upstream.URL+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer k")
	req.Header.Set("X-Extend-Api-Version", "2025-04-21")
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		e.t.Fatalf("direct %s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return b
}

// TestDifferentialShadowSurface builds state through the simulator's own
// 2025-04-21 surface, then reads every GET method of the rest of the legacy
// SDK through the proxy in shadow mode: the sim's legacy rendering serves,
// the translation of its 2026-02-09 rendering shadows, and no difference may
// remain outside the lossy paths the registry documents.
func TestDifferentialShadowSurface(t *testing.T) {
	rc := rollout.DefaultConfig()
	rc.DefaultMode = rollout.Shadow
	sc := shadowConfig()
	sc.StoreValues = true
	opt, _, sh := withModes(t, rc, sc)
	e := newEnv(t, nil, opt)

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "diff-statement.pdf")
	fw.Write([]byte("%PDF-1.7\n1 0 obj <</Type /Page>>\n2 0 obj <</Type /Page>>\n"))
	mw.Close()
	fileID := gjson.GetBytes(e.direct("POST", "/files/upload", mw.FormDataContentType(), buf.Bytes()), "file.id").String()
	parse := e.direct("POST", "/parse", "application/json", []byte(`{"file":{"fileId":"`+fileID+`"},"config":{"chunkingStrategy":{"type":"page"}}}`))
	parserRun := gjson.GetBytes(parse, "id").String()
	procRun := gjson.GetBytes(e.direct("POST", "/processor_runs", "application/json",
		[]byte(`{"processorId":"ex_Ee4Rr6Tt8Yy0Uu2Ii4Oo","file":{"fileId":"`+fileID+`"},"sync":true}`)), "processorRun.id").String()
	set := gjson.GetBytes(e.direct("POST", "/evaluation_sets", "application/json",
		[]byte(`{"name":"diff","description":"d","processorId":"cl_Mm1Nn3Bb5Vv7Cc9Xx1Zz"}`)), "evaluationSet.id").String()
	e.direct("POST", "/evaluation_set_items/bulk", "application/json", []byte(`{"evaluationSetId":"`+set+`","items":[`+
		`{"fileId":"`+fileID+`","expectedOutput":{"id":"invoice","type":"invoice"}},`+
		`{"fileId":"`+fileID+`","expectedOutput":{"id":"receipt","type":"receipt","confidence":0.9}}]}`))
	versions := e.direct("GET", "/processors/ex_Ee4Rr6Tt8Yy0Uu2Ii4Oo/versions", "", nil)
	versionID := gjson.GetBytes(versions, "versions.0.id").String()

	reads := map[string]string{
		"file.get":               "/files/" + fileID + "?markdown=true&rawText=true",
		"file.list":              "/files?maxPageSize=5",
		"parserRun.get":          "/parser_runs/" + parserRun,
		"processorRun.get":       "/processor_runs/" + procRun,
		"processorRun.list":      "/processor_runs?maxPageSize=5",
		"batchProcessorRun.get":  "/batch_processor_runs/bpr_Ev1Ev2Ev3Ev4Ev5Ev6Ev",
		"processor.list":         "/processors",
		"processorVersion.list":  "/processors/ex_Ee4Rr6Tt8Yy0Uu2Ii4Oo/versions",
		"processorVersion.get":   "/processors/ex_Ee4Rr6Tt8Yy0Uu2Ii4Oo/versions/" + versionID,
		"evaluationSet.get":      "/evaluation_sets/" + set,
		"evaluationSet.list":     "/evaluation_sets",
		"evaluationSetItem.list": "/evaluation_sets/" + set + "/items",
	}
	for route, path := range reads {
		res := e.legacy("GET", path, "")
		if res.status != 200 {
			t.Fatalf("%s: %d %s", route, res.status, res.body)
		}
	}
	rep := drain(t, sh)
	for route := range reads {
		rr := routeReport(rep, route)
		if rr.Totals["match"] != 1 || rr.Totals["mismatch"] != 0 || rr.Totals["shadow_error"] != 0 {
			var recent []string
			for _, d := range rep.Recent {
				if d.Route == route {
					recent = append(recent, d.Concrete+" "+d.Kind+": "+string(d.ServedValue)+" vs "+string(d.ShadowValue))
				}
			}
			t.Errorf("%s: %v top paths %v (%s) %v", route, rr.Totals, rr.TopPaths, rr.LastError, recent)
			continue
		}
		t.Logf("%s: %v; lossy paths set aside: %v", route, rr.Totals, rr.LossyPaths)
	}
}
