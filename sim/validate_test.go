package sim

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestCreateValidation(t *testing.T) {
	e := newEnv(t, Options{})
	big := `{"k":"` + strings.Repeat("x", 10*1024) + `"}`
	wf := `"workflow":{"id":"workflow_a"}`
	url := `"file":{"url":"https://x.org/a.pdf"}`
	cases := []struct{ name, body, msg string }{
		{"malformed", `{"workflow":`, "not valid JSON"},
		{"empty", ``, "not valid JSON"},
		{"not object", `[1]`, "JSON object"},
		{"no workflow", `{` + url + `}`, "workflow is required"},
		{"workflow not object", `{"workflow":"w",` + url + `}`, "workflow must be an object"},
		{"no workflow id", `{"workflow":{},` + url + `}`, "workflow.id"},
		{"empty workflow id", `{"workflow":{"id":""},` + url + `}`, "workflow.id"},
		{"numeric version", `{"workflow":{"id":"workflow_a","version":3},` + url + `}`, "workflow.version"},
		{"no file", `{` + wf + `}`, "one of file or package is required"},
		{"file and package", `{` + wf + `,` + url + `,"package":{"files":[{"id":"a"},{"id":"b"}]}}`, "exactly one of file or package"},
		{"file not object", `{` + wf + `,"file":"x"}`, "file must be an object"},
		{"file two variants", `{` + wf + `,"file":{"url":"https://x","id":"f"}}`, "exactly one of url, id or text"},
		{"file no variant", `{` + wf + `,"file":{"name":"a.pdf"}}`, "exactly one of url, id or text"},
		{"empty url", `{` + wf + `,"file":{"url":""}}`, "file.url"},
		{"numeric id", `{` + wf + `,"file":{"id":5}}`, "file.id"},
		{"text not string", `{` + wf + `,"file":{"text":1}}`, "file.text"},
		{"name not string", `{` + wf + `,"file":{"url":"https://x/a","name":1}}`, "file.name"},
		{"settings not object", `{` + wf + `,"file":{"url":"https://x/a","settings":1}}`, "file.settings"},
		{"package one file", `{` + wf + `,"package":{"files":[{"id":"a"}]}}`, "2 to 50"},
		{"package text", `{` + wf + `,"package":{"files":[{"id":"a"},{"text":"t"}]}}`, "raw text is not allowed"},
		{"package duplicate", `{` + wf + `,"package":{"files":[{"id":"a"},{"id":"a"}]}}`, "duplicates"},
		{"package outputs", `{` + wf + `,"package":{"files":[{"id":"a"},{"id":"b"}]},"outputs":[{"processorId":"ex_1","output":{}}]}`, "not supported on package"},
		{"outputs not array", `{` + wf + `,` + url + `,"outputs":{}}`, "outputs must be an array"},
		{"output no processor", `{` + wf + `,` + url + `,"outputs":[{"output":{}}]}`, "processorId"},
		{"output bad prefix", `{` + wf + `,` + url + `,"outputs":[{"processorId":"dp_1","output":{}}]}`, "ex_"},
		{"output not object", `{` + wf + `,` + url + `,"outputs":[{"processorId":"ex_1","output":1}]}`, "output is required"},
		{"extract value", `{` + wf + `,` + url + `,"outputs":[{"processorId":"ex_1","output":{"value":[]}}]}`, "value must be an object"},
		{"classify shape", `{` + wf + `,` + url + `,"outputs":[{"processorId":"cl_1","output":{"id":"x"}}]}`, "classify output"},
		{"split shape", `{` + wf + `,` + url + `,"outputs":[{"processorId":"spl_1","output":{"splits":[{"type":"a","startPage":1,"endPage":1}]}}]}`, "classificationId"},
		{"split pages", `{` + wf + `,` + url + `,"outputs":[{"processorId":"spl_1","output":{"splits":[{"classificationId":"a","type":"a","startPage":2,"endPage":1}]}}]}`, "startPage <= endPage"},
		{"priority", `{` + wf + `,` + url + `,"priority":"high"}`, "priority must be a number"},
		{"metadata not object", `{` + wf + `,` + url + `,"metadata":[]}`, "metadata must be an object"},
		{"metadata too big", `{` + wf + `,` + url + `,"metadata":` + big + `}`, "10 KB"},
		{"usage tags", `{` + wf + `,` + url + `,"metadata":{"extend:usage_tags":"a"}}`, "usage_tags"},
		{"secrets", `{` + wf + `,` + url + `,"secrets":"s"}`, "secrets must be an object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do("POST", "/workflow_runs", c.body)
			assertAPIError(t, r, 400, codeInvalid)
			if !strings.Contains(r.json.Get("message").String(), c.msg) {
				t.Errorf("message %q does not mention %q", r.json.Get("message"), c.msg)
			}
		})
	}
	if n := e.sim.RunCount(); n != 0 {
		t.Errorf("invalid creates stored %d runs", n)
	}
}

func TestBatchValidation(t *testing.T) {
	e := newEnv(t, Options{})
	in := `{"file":{"url":"https://x.org/a.pdf"}}`
	many := strings.TrimSuffix(strings.Repeat(in+",", 1001), ",")
	cases := []struct{ name, body, msg string }{
		{"no inputs", `{"workflow":{"id":"workflow_a"}}`, "inputs is required"},
		{"zero inputs", `{"workflow":{"id":"workflow_a"},"inputs":[]}`, "1 to 1000"},
		{"too many", `{"workflow":{"id":"workflow_a"},"inputs":[` + many + `]}`, "1 to 1000"},
		{"no file", `{"workflow":{"id":"workflow_a"},"inputs":[{"metadata":{}}]}`, "inputs[0].file is required"},
		{"bad file", `{"workflow":{"id":"workflow_a"},"inputs":[` + in + `,{"file":{}}]}`, "inputs[1].file"},
		{"outputs", `{"workflow":{"id":"workflow_a"},"inputs":[{"file":{"id":"f"},"outputs":[]}]}`, "not supported in a batch"},
		{"priority range", `{"workflow":{"id":"workflow_a"},"priority":0,"inputs":[` + in + `]}`, "1 to 100"},
		{"priority fraction", `{"workflow":{"id":"workflow_a"},"priority":1.5,"inputs":[` + in + `]}`, "1 to 100"},
		{"metadata", `{"workflow":{"id":"workflow_a"},"inputs":[{"file":{"id":"f"},"metadata":1}]}`, "inputs[0].metadata"},
		{"no workflow", `{"inputs":[` + in + `]}`, "workflow is required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do("POST", "/workflow_runs/batch", c.body)
			assertAPIError(t, r, 400, codeInvalid)
			if !strings.Contains(r.json.Get("message").String(), c.msg) {
				t.Errorf("message %q does not mention %q", r.json.Get("message"), c.msg)
			}
		})
	}
}

func TestAuthAndVersion(t *testing.T) {
	e := newEnv(t, Options{})
	for _, auth := range []string{"", "Bearer ", "Bearer  ", "Basic abc", "bearer x"} {
		req, _ := http.NewRequest("GET", e.srv.URL+"/workflow_runs", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		req.Header.Set("x-extend-api-version", newVersion)
		assertAPIError(t, e.send(req), 401, codeUnauthorized)
	}
	for _, v := range []string{"", "2024-01-01", "2026-02-10"} {
		r := e.doVersion(v, "GET", "/workflow_runs", "")
		assertAPIError(t, r, 400, codeInvalid)
	}
	assertAPIError(t, e.do("GET", "/nope", ""), 404, codeNotFound)
	assertAPIError(t, e.do("PUT", "/workflow_runs", ""), 405, codeMethod)
}

func TestUpdateValidationAndMerge(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.do("POST", "/workflow_runs", `{"workflow":{"id":"workflow_a"},"file":{"id":"file_1"},"metadata":{"a":1,"b":{"x":true}}}`).mustStatus(t, 200)
	id := r.json.Get("id").String()
	for _, body := range []string{`{"name":5}`, `{"metadata":"x"}`, `nope`, `{"metadata":{"k":"` + strings.Repeat("y", 10300) + `"}}`} {
		assertAPIError(t, e.do("POST", "/workflow_runs/"+id, body), 400, codeInvalid)
	}
	// Two halves that each fit but together exceed 10 KB.
	half := strings.Repeat("z", 6000)
	e.do("POST", "/workflow_runs/"+id, `{"metadata":{"h1":"`+half+`"}}`).mustStatus(t, 200)
	assertAPIError(t, e.do("POST", "/workflow_runs/"+id, `{"metadata":{"h2":"`+half+`"}}`), 400, codeInvalid)
	up := e.do("POST", "/workflow_runs/"+id, `{"name":"Renamed","metadata":{"b":"new","c":[1],"h1":null}}`).mustStatus(t, 200).json
	if up.Get("name").Exists() {
		t.Errorf("name must never be returned")
	}
	got := fmt.Sprintf("%s|%s|%s|%s", up.Get("metadata.a").Raw, up.Get("metadata.b").Raw, up.Get("metadata.c").Raw, up.Get("metadata.h1").Raw)
	if got != `1|"new"|[1]|null` {
		t.Errorf("merged metadata %s", up.Get("metadata").Raw)
	}
	if up.Get("files.0.name").String() != "file_1.pdf" || up.Get("files.0.id").String() != "file_1" {
		t.Errorf("file from id: %s", up.Get("files").Raw)
	}
	assertAPIError(t, e.do("POST", "/workflow_runs/workflow_run_missing", `{}`), 404, codeNotFound)
}
