package translate

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// wantRequestError asserts err is a *RequestError for field.
func wantRequestError(t *testing.T, err error, field string) {
	t.Helper()
	var re *RequestError
	if !errors.As(err, &re) {
		t.Fatalf("want *RequestError for %q, got %v", field, err)
	}
	if !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("errors.Is(err, ErrInvalidRequest) = false")
	}
	if re.Field != field {
		t.Errorf("Field = %q, want %q (message %q)", re.Field, field, re.Message)
	}
	if re.Message == "" || (field != "" && !strings.Contains(re.Message, field)) {
		t.Errorf("message %q does not name the field %q", re.Message, field)
	}
}

const wf = `"workflowId":"workflow_1"`

func TestCreateRequestsValidation(t *testing.T) {
	many := `{` + wf + `,"files":[` + strings.Repeat(`{"fileId":"file_1"},`, 50) + `{"fileId":"file_1"}]}`
	tests := []struct {
		name, body, field string
		o                 Options
	}{
		{"malformed JSON", `{"workflowId":`, "", Options{}},
		{"body not an object", `["workflow_1"]`, "", Options{}},
		{"empty body", ``, "", Options{}},
		{"workflowId missing", `{"rawTexts":["a"]}`, "workflowId", Options{}},
		{"workflowId null", `{"workflowId":null,"rawTexts":["a"]}`, "workflowId", Options{}},
		{"workflowId number", `{"workflowId":7,"rawTexts":["a"]}`, "workflowId", Options{}},
		{"workflowId empty", `{"workflowId":"","rawTexts":["a"]}`, "workflowId", Options{}},
		{"no inputs", `{` + wf + `}`, "files", Options{}},
		{"both empty", `{` + wf + `,"files":[],"rawTexts":[]}`, "files", Options{}},
		{"files not array", `{` + wf + `,"files":{"fileId":"f"}}`, "files", Options{}},
		{"rawTexts not array", `{` + wf + `,"rawTexts":"a"}`, "rawTexts", Options{}},
		{"rawTexts item not string", `{` + wf + `,"rawTexts":["a",3]}`, "rawTexts[1]", Options{}},
		{"too many files", many, "files", Options{}},
		{"raw texts counted", `{` + wf + `,"files":[{"fileId":"f"}],"rawTexts":["a"]}`, "files", Options{MaxFiles: 1, CountRawTexts: true}},
		{"file neither url nor id", `{` + wf + `,"files":[{"fileId":"f"},{"fileName":"x.pdf"}]}`, "files[1]", Options{}},
		{"file empty id and url", `{` + wf + `,"files":[{"fileId":"","fileUrl":""}]}`, "files[0]", Options{}},
		{"file not object", `{` + wf + `,"files":["https://x"]}`, "files[0]", Options{}},
		{"fileUrl not string", `{` + wf + `,"files":[{"fileUrl":1}]}`, "files[0].fileUrl", Options{}},
		{"fileName not string", `{` + wf + `,"files":[{"fileId":"f","fileName":true}]}`, "files[0].fileName", Options{}},
		{"metadata not object", `{` + wf + `,"rawTexts":["a"],"metadata":[1]}`, "metadata", Options{}},
		{"priority not number", `{` + wf + `,"rawTexts":["a"],"priority":"1"}`, "priority", Options{}},
		{"version not string", `{` + wf + `,"rawTexts":["a"],"version":3}`, "version", Options{}},
		{"outputs not array", `{` + wf + `,"files":[{"fileId":"f","outputs":{}}]}`, "files[0].outputs", Options{}},
		{"output item not object", `{` + wf + `,"files":[{"fileId":"f","outputs":[1]}]}`, "files[0].outputs[0]", Options{}},
		{"processorId missing", `{` + wf + `,"files":[{"fileId":"f","outputs":[{"output":{"value":{}}}]}]}`, "files[0].outputs[0].processorId", Options{}},
		{"output missing", `{` + wf + `,"files":[{"fileId":"f","outputs":[{"processorId":"p"}]}]}`, "files[0].outputs[0].output", Options{}},
		{"output not object", `{` + wf + `,"files":[{"fileId":"f","outputs":[{"processorId":"p","output":"x"}]}]}`, "files[0].outputs[0].output", Options{}},
		{"output matches no shape", `{` + wf + `,"files":[{"fileId":"f","outputs":[{"processorId":"p","output":{"value":{},"metadata":{}}}]}]}`, "files[0].outputs[0].output", Options{}},
		{"split missing page", `{` + wf + `,"files":[{"fileId":"f","outputs":[{"processorId":"p","output":{"splits":[{"id":"s","classificationId":"c","type":"t","startPage":1}]}}]}]}`, "files[0].outputs[0].output.splits[0].endPage", Options{}},
		{"unknown field rejected", `{` + wf + `,"rawTexts":["a"],"secrets":{}}`, "secrets", Options{RejectUnknownFields: true}},
		{"unknown file field rejected", `{` + wf + `,"files":[{"fileId":"f","password":"x"}]}`, "files[0].password", Options{RejectUnknownFields: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := createRequests([]byte(tc.body), tc.o, nil)
			if out != nil {
				t.Errorf("got output %q with an error", out)
			}
			wantRequestError(t, err, tc.field)
		})
	}
}

func TestCreateRequestsVersion(t *testing.T) {
	tests := []struct{ version, want string }{
		{`"latest"`, `{"id":"workflow_1"}`},
		{`""`, `{"id":"workflow_1"}`},
		{`null`, `{"id":"workflow_1"}`},
		{`"draft"`, `{"id":"workflow_1","version":"draft"}`},
		{`"12"`, `{"id":"workflow_1","version":"12"}`},
	}
	for _, tc := range tests {
		t.Run(tc.version, func(t *testing.T) {
			body := `{` + wf + `,"version":` + tc.version + `,"rawTexts":["a"]}`
			reqs, err := createRequests([]byte(body), Options{}, nil)
			must(t, err)
			want := `{"workflow":` + tc.want + `,"file":{"text":"a"}}`
			if string(reqs[0]) != want {
				t.Errorf("got %s, want %s", reqs[0], want)
			}
		})
	}
}

func TestCreateRequestsReport(t *testing.T) {
	body := `{` + wf + `,"callbackUrl":"x","files":[
		{"fileId":"f","fileUrl":"u","fileName":"n","extra":1,"outputs":[
			{"processorId":"cl_1","output":{"id":"a","type":"a","confidence":1}},
			{"processorId":"spl_1","output":{"splits":[{"id":"s","classificationId":"c","type":"t","observation":"o","identifier":"i","startPage":1,"endPage":1}]}},
			{"processorId":"dp_1","output":{"f":{"id":"f","value":1,"type":"number","confidence":0.5,"page":2}}}]}]}`
	var rep Report
	_, err := createRequests([]byte(body), Options{}, &rep)
	must(t, err)
	if want := []string{"callbackUrl", "files[0].extra"}; !reflect.DeepEqual(rep.Unknown, want) {
		t.Errorf("Unknown = %q, want %q", rep.Unknown, want)
	}
	want := []string{
		"files[0].fileUrl", "files[0].fileName",
		"files[0].outputs[0].output.confidence",
		"files[0].outputs[1].output.splits[0].id", "files[0].outputs[1].output.splits[0].observation",
		"files[0].outputs[1].output.splits[0].identifier",
		"files[0].outputs[2].output.f.type", "files[0].outputs[2].output.f.confidence", "files[0].outputs[2].output.f.page",
	}
	if !reflect.DeepEqual(rep.Unmapped, want) {
		t.Errorf("Unmapped =\n%q\nwant\n%q", rep.Unmapped, want)
	}
}

func TestCreateRequestsOrderAndLimit(t *testing.T) {
	body := `{` + wf + `,"rawTexts":["r0","r1"],"files":[{"fileUrl":"u0"},{"fileId":"f1"}]}`
	reqs, err := createRequests([]byte(body), Options{MaxFiles: 2}, nil)
	must(t, err)
	want := []string{`{"url":"u0"}`, `{"id":"f1"}`, `{"text":"r0"}`, `{"text":"r1"}`}
	if len(reqs) != len(want) {
		t.Fatalf("got %d requests, want %d", len(reqs), len(want))
	}
	for i, w := range want {
		if got := `{"workflow":{"id":"workflow_1"},"file":` + w + `}`; string(reqs[i]) != got {
			t.Errorf("request %d = %s, want %s", i, reqs[i], got)
		}
	}
}

func TestBatchRequestValidation(t *testing.T) {
	tests := []struct{ name, body, field string }{
		{"malformed", `{`, ""},
		{"not object", `1`, ""},
		{"workflowId missing", `{"inputs":[{"rawText":"a"}]}`, "workflowId"},
		{"inputs missing", `{` + wf + `}`, "inputs"},
		{"inputs not array", `{` + wf + `,"inputs":{}}`, "inputs"},
		{"input not object", `{` + wf + `,"inputs":["a"]}`, "inputs[0]"},
		{"input empty", `{` + wf + `,"inputs":[{"rawText":"a"},{"metadata":{}}]}`, "inputs[1]"},
		{"file without url or id", `{` + wf + `,"inputs":[{"file":{"fileName":"a"}}]}`, "inputs[0].file"},
		{"file not object", `{` + wf + `,"inputs":[{"file":"u"}]}`, "inputs[0].file"},
		{"rawText not string", `{` + wf + `,"inputs":[{"rawText":1}]}`, "inputs[0].rawText"},
		{"metadata not object", `{` + wf + `,"inputs":[{"rawText":"a","metadata":1}]}`, "inputs[0].metadata"},
		{"secrets not object", `{` + wf + `,"inputs":[{"rawText":"a","secrets":"s"}]}`, "inputs[0].secrets"},
		{"version not string", `{` + wf + `,"version":1,"inputs":[{"rawText":"a"}]}`, "version"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := batchRequestBody([]byte(tc.body), Options{}, nil)
			wantRequestError(t, err, tc.field)
		})
	}
}

func TestBatchRequestFileWins(t *testing.T) {
	var rep Report
	body := `{` + wf + `,"version":"latest","priority":1,"inputs":[{"file":{"fileId":"f","fileName":"n"},"rawText":"t"}]}`
	got, _, err := batchRequestBody([]byte(body), Options{}, &rep)
	must(t, err)
	if want := `{"workflow":{"id":"workflow_1"},"inputs":[{"file":{"id":"f"}}]}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
	want := []string{"inputs[0].file.fileName", "inputs[0].rawText"}
	if !reflect.DeepEqual(rep.Unknown, []string{"priority"}) || !reflect.DeepEqual(rep.Unmapped, want) {
		t.Errorf("Unmapped = %q, want %q", rep.Unmapped, want)
	}
}

func TestUpdateRequest(t *testing.T) {
	tests := []struct {
		name, body, want, field string
		wantName                *string
	}{
		{name: "name and metadata", body: `{"name":"n\"1","metadata":{"a":1}}`, want: `{"name":"n\"1","metadata":{"a":1}}`, wantName: ptr(`n"1`)},
		{name: "empty object", body: `{}`, want: `{}`},
		{name: "empty body", body: ``, want: `{}`},
		{name: "null name", body: `{"name":null}`, want: `{}`},
		{name: "not object", body: `[]`, field: "", want: "error"},
		{name: "malformed", body: `{"name":`, field: "", want: "error"},
		{name: "name not string", body: `{"name":1}`, field: "name", want: "error"},
		{name: "metadata not object", body: `{"metadata":"x"}`, field: "metadata", want: "error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, name, err := updateRequestBody([]byte(tc.body), Options{}, nil)
			if tc.want == "error" {
				wantRequestError(t, err, tc.field)
				return
			}
			must(t, err)
			if string(body) != tc.want {
				t.Errorf("body = %s, want %s", body, tc.want)
			}
			if !reflect.DeepEqual(name, tc.wantName) {
				t.Errorf("name = %v, want %v", name, tc.wantName)
			}
		})
	}
}

func ptr(s string) *string { return &s }

func TestListQuery(t *testing.T) {
	in := url.Values{"status": {"PROCESSED"}, "batchId": {""}, "x": {"", "1"}, "": {"a"}}
	got := listQuery(in)
	want := url.Values{"status": {"PROCESSED"}, "x": {"1"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if len(in["batchId"]) != 1 {
		t.Errorf("input was modified: %v", in)
	}
	if got := listQuery(nil); len(got) != 0 {
		t.Errorf("listQuery(nil) = %v", got)
	}
}
