package translate

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

func TestResponseShapeErrors(t *testing.T) {
	run := func(b []byte) error { _, err := runResponse(b, RunContext{}, Options{}); return err }
	create := func(b []byte) error { _, err := createResponseBody([][]byte{b}, RunContext{}, Options{}); return err }
	list := func(b []byte) error { _, err := listResponseBody(b, Options{}, nil); return err }
	del := func(b []byte) error { _, err := deleteResponse(b); return err }
	batch := func(b []byte) error { _, err := batchResponse(b); return err }
	tests := []struct {
		name string
		fn   func([]byte) error
		body string
	}{
		{"run not JSON", run, `<html>`},
		{"run empty", run, ``},
		{"run array", run, `[]`},
		{"run id missing", run, `{"status":"PROCESSED"}`},
		{"run id number", run, `{"id":1,"status":"PROCESSED"}`},
		{"run status missing", run, `{"id":"r"}`},
		{"run stepRuns object", run, `{"id":"r","status":"PROCESSED","stepRuns":{}}`},
		{"run files string", run, `{"id":"r","status":"PROCESSED","files":"f"}`},
		{"create bad run", create, `{"id":"r"}`},
		{"list not JSON", list, `{"data":[}`},
		{"list data missing", list, `{"object":"list"}`},
		{"list data object", list, `{"data":{}}`},
		{"delete id missing", del, `{}`},
		{"delete id number", del, `{"id":5}`},
		{"delete not object", del, `"workflow_run_1"`},
		{"batch id missing", batch, `{"id":"b"}`},
		{"batch not JSON", batch, `batch_1`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.fn([]byte(tc.body)); !errors.Is(err, ErrInvalidResponse) {
				t.Errorf("err = %v, want ErrInvalidResponse", err)
			}
		})
	}
}

func TestInitialRunAtFallback(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	received := time.Date(2026, 3, 1, 11, 59, 59, 123_000_000, time.FixedZone("CET", 3600))
	file := `[{"id":"file_1","name":"a.pdf","createdAt":"2026-02-01T00:00:00.000Z"}]`
	tests := []struct {
		name, run string
		rc        RunContext
		want      string
		synth     bool
	}{
		{"upstream value", `"initialRunAt":"2026-01-01T00:00:00.000Z","startTime":"x"`, RunContext{}, "2026-01-01T00:00:00.000Z", false},
		{"startTime", `"initialRunAt":null,"startTime":"2026-01-02T00:00:00.000Z","files":` + file, RunContext{ReceivedAt: received}, "2026-01-02T00:00:00.000Z", true},
		{"received at", `"initialRunAt":null,"startTime":null,"files":` + file, RunContext{ReceivedAt: received}, "2026-03-01T10:59:59.123Z", true},
		{"file createdAt", `"initialRunAt":null,"files":` + file, RunContext{Now: now}, "2026-02-01T00:00:00.000Z", true},
		{"now", `"files":[]`, RunContext{Now: now}, "2026-03-01T12:00:00.000Z", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := &Report{}
			tc.rc.Report = rep
			out, err := runResponse([]byte(`{"id":"r","status":"PENDING",`+tc.run+`}`), tc.rc, Options{})
			must(t, err)
			if got := gjson.GetBytes(out, "workflowRun.initialRunAt").String(); got != tc.want {
				t.Errorf("initialRunAt = %q, want %q", got, tc.want)
			}
			if got := len(rep.Synthesized) == 1 && rep.Synthesized[0] == "initialRunAt"; got != tc.synth {
				t.Errorf("Synthesized = %q, want synthesized=%v", rep.Synthesized, tc.synth)
			}
		})
	}
}

func TestRunResponseDetails(t *testing.T) {
	run := `{"id":"r","status":"PROCESSING","files":[],"metadata":null,"stepRuns":[
	 {"stepType":"EXTRACT","status":"PROCESSING","step":{"name":"Inline step"},"result":{"extractRun":{"id":"exr_1","status":"PROCESSING","output":null,"extractor":null,"reviewed":false}}},
	 {"stepType":"RULE_VALIDATION","id":"s","status":"WAITING","step":{"id":"st","name":"Rules"},"result":{"rules":[{"name":"a","valid":true,"validArray":[true,false,"x",1]}],"allPassed":true}},
	 {"stepType":"EXTERNAL_DATA_VALIDATION","id":"e","status":"PROCESSED","step":{"id":"st2","name":"ERP"},"result":{"response":{"status":500}}}]}`
	name := "renamed"
	for _, asBool := range []bool{false, true} {
		out, err := runResponse([]byte(run), RunContext{Name: &name}, Options{ValidArrayAsBooleans: asBool})
		must(t, err)
		r := gjson.GetBytes(out, "workflowRun")
		checks := map[string]string{
			"name":                            `"renamed"`,
			"metadata":                        `{}`,
			"outputs.0.processorId":           `""`,
			"outputs.0.processorVersionId":    `""`,
			"outputs.0.processorName":         `"Inline step"`,
			"outputs.0.output":                `null`,
			"outputs.0.files":                 `[]`,
			"stepRuns.0.status":               `"PENDING"`,
			"stepRuns.0.step.type":            `"RULE_VALIDATION"`,
			"stepRuns.1.output":               ``,
			"outputs.0.initialOutput":         ``,
			"stepRuns.0.output.rules.0.valid": `true`,
		}
		checks["stepRuns.0.output.rules.0.validArray"] = `["true","false","x"]`
		if asBool {
			checks["stepRuns.0.output.rules.0.validArray"] = `[true,false,"x"]`
		}
		for path, want := range checks {
			if got := r.Get(path).Raw; got != want {
				t.Errorf("asBool=%v %s = %s, want %s", asBool, path, got, want)
			}
		}
	}
}

func TestListResponseNoToken(t *testing.T) {
	out, err := listResponseBody([]byte(`{"object":"list","data":[],"nextPageToken":null}`), Options{}, nil)
	must(t, err)
	if string(out) != `{"success":true,"workflowRuns":[]}` {
		t.Errorf("got %s", out)
	}
}

func TestErrorBody(t *testing.T) {
	long := strings.Repeat("é", 600) // 1200 bytes
	tests := []struct {
		name, ct, body, want string
		status               int
	}{
		{"legacy shaped", "application/json", `{"success":false,"error":"Invalid API key"}`, `{"success":false,"error":"Invalid API key"}`, 401},
		{"json without message", "application/json", `{"detail":"x"}`, `{"success":false,"error":"Too Many Requests"}`, 429},
		{"json array", "application/json", `["x"]`, `{"success":false,"error":"[\"x\"]"}`, 500},
		{"code only on 400", "application/json", `{"code":"CORRUPT_FILE","message":"m"}`, `{"success":false,"error":"m"}`, 422},
		{"html page", "text/html; charset=utf-8", `<html><body>Bad gateway</body></html>`, `{"success":false,"error":"Bad Gateway"}`, 502},
		{"whitespace only", "text/plain", " \n", `{"success":false,"error":"Gateway Timeout"}`, 504},
		{"unknown status", "", ``, `{"success":false,"error":"HTTP 599"}`, 599},
		{"control chars", "text/plain", "a\x01b\"c\\", `{"success":false,"error":"a\u0001b\"c\\"}`, 500},
		{"invalid utf8", "text/plain", "a\xffb", `{"success":false,"error":"a\ufffdb"}`, 500},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := errorBody(tc.status, tc.ct, []byte(tc.body))
			if string(got) != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("capped at 1 KiB on a rune boundary", func(t *testing.T) {
		msg := gjson.GetBytes(errorBody(500, "text/plain", []byte(long)), "error").String()
		if len(msg) > maxRawError || len(msg) < maxRawError-1 || !strings.HasPrefix(long, msg) {
			t.Errorf("len = %d, prefix ok = %v", len(msg), strings.HasPrefix(long, msg))
		}
	})
}

func TestLegacyErrorEscaping(t *testing.T) {
	for _, msg := range []string{"", `quote " backslash \ `, "tab\tnl\n\u2028", "<script>&", "日本語"} {
		var v struct {
			Success *bool
			Error   string
		}
		b := RenderError(LegacyVersion, APIError{Message: msg}, "")
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("RenderError(legacy, %q) = %s: %v", msg, b, err)
		}
		if v.Success == nil || *v.Success || v.Error != msg {
			t.Errorf("RenderError(legacy, %q) round-trips to %+v", msg, v)
		}
	}
}

func TestReportNilSafe(t *testing.T) {
	var rep *Report
	rep.unmapped("x")
	rep.synthesized("y")
	if _, err := createRequests([]byte(`{"workflowId":"w","rawTexts":["a"],"x":1}`), Options{}, nil); err != nil {
		t.Fatal(err)
	}
	got := &Report{}
	_, err := runResponse([]byte(`{"id":"r","status":"PROCESSED","stepRuns":[{"stepType":"NEW_THING","result":{}}]}`), RunContext{Report: got}, Options{})
	must(t, err)
	if want := []string{"stepRuns[0]"}; !reflect.DeepEqual(got.Unmapped, want) {
		t.Errorf("Unmapped = %q, want %q", got.Unmapped, want)
	}
}

func TestLegacyFile(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"split sub-file",
			`{"object":"file","id":"file_S","name":"a (1-2).pdf","type":"PDF","parentFileId":"file_P","presignedUrl":"u",
			  "metadata":{"pageCount":2,"parentSplit":{"id":"split_1","type":"invoice","identifier":"INV","startPage":1,"endPage":2,"extra":1},"other":3},
			  "createdAt":"c","updatedAt":"u"}`,
			`{"object":"file","id":"file_S","name":"a (1-2).pdf","type":"PDF","parentFileId":"file_P","metadata":{"pageCount":2,"parentSplit":{"id":"split_1","type":"invoice","identifier":"INV","startPage":1,"endPage":2}},"createdAt":"c","updatedAt":"u"}`},
		{"null type and parent, no metadata",
			`{"id":"file_1","name":"n","type":null,"parentFileId":null,"createdAt":"c","updatedAt":"u"}`,
			`{"object":"file","id":"file_1","name":"n","metadata":{},"createdAt":"c","updatedAt":"u"}`},
		{"unknown type", `{"id":"f","name":"n","type":"HEIC","metadata":{},"createdAt":"c","updatedAt":"u"}`,
			`{"object":"file","id":"f","name":"n","metadata":{},"createdAt":"c","updatedAt":"u"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := legacyFileOf(t, tc.in)
			if !ok || string(got) != tc.want {
				t.Errorf("got %s (ok=%v), want %s", got, ok, tc.want)
			}
		})
	}
	if _, ok := legacyFileOf(t, `"file_1"`); ok {
		t.Error("a non-object file was accepted")
	}
}

func TestLossyPathsCoverRunRoutes(t *testing.T) {
	for _, route := range []string{"get", "update", "cancel", "create"} {
		paths := LossyPaths(route)
		if len(paths) < 20 {
			t.Fatalf("%s: only %d paths", route, len(paths))
		}
		for _, p := range paths {
			if !strings.HasPrefix(p, "workflowRun") && p != "error" || strings.Contains(p, "..") {
				t.Errorf("%s: malformed path %q", route, p)
			}
		}
	}
	if got := LossyPaths("delete"); len(got) != 1 || got[0] != "error" {
		t.Errorf("delete: %v, want only the error message", got)
	}
}

// legacyFileOf runs appendLegacyFile on one FileSummary through an indexed doc.
func legacyFileOf(t *testing.T, in string) ([]byte, bool) {
	t.Helper()
	d, root, ok := parseDoc([]byte(in))
	if !ok {
		t.Fatalf("invalid test input %s", in)
	}
	defer d.free()
	return d.appendLegacyFile(nil, root)
}
