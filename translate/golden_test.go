package translate

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenCase is one <name>.legacy.json ⇄ <name>.new.json pair. Requests read
// the legacy side and produce the new side; responses the other way round.
// Every case runs through the default registry's endpoint transforms, and
// every case is named by at least one Change (TestChangesAndGoldenCasesNameEachOther).
type goldenCase struct {
	name    string
	request bool   // legacy → new when true, new → legacy otherwise
	inExt   string // input extension; default ".json"
	run     func(t *testing.T, in []byte, rep *Report) []byte
}

// Fixed clock values keep synthesized timestamps stable in golden files.
var (
	receivedAt = time.Date(2026, 2, 20, 14, 11, 7, 500_000_000, time.UTC)
	fixedNow   = time.Date(2026, 2, 20, 15, 0, 0, 0, time.UTC)
)

var testAliases = map[string]string{"dp_Cls1": "cl_Cls1", "dp_MergedInvoice": "ex_Ee4Rr6Tt8Yy0Uu2Ii4Oo"}

var legacyPath = func() Path {
	p, err := Default.Path(LegacyVersion, NewVersion)
	if err != nil {
		panic(err)
	}
	return p
}()

// goldenRequest runs a route's request transform. Several bodies (a create's
// fan-out) are joined into one JSON array; a refused request gives the legacy
// error body the client would get.
func goldenRequest(route string, o Options) func(*testing.T, []byte, *Report) []byte {
	return func(t *testing.T, in []byte, rep *Report) []byte {
		out, err := legacyPath.Request(route, &Context{Options: o, Report: rep}, One(in))
		if err != nil {
			return goldenErrorBody(t, err)
		}
		if route == RouteCreate {
			return append(append([]byte("["), bytes.Join(out.Bodies, []byte(","))...), ']')
		}
		return out.Body()
	}
}

// goldenErrorBody renders a refused request as the legacy client sees it.
func goldenErrorBody(t *testing.T, err error) []byte {
	var re *RequestError
	var gone *RemovedError
	switch {
	case errors.As(err, &re):
		return RenderError(LegacyVersion, APIError{Status: 400, Message: re.Message}, "")
	case errors.As(err, &gone):
		return RenderError(LegacyVersion, APIError{Status: 410, Message: gone.Message}, "")
	}
	t.Fatalf("unexpected error: %v", err)
	return nil
}

// goldenResponse runs a route's response transform with a fixed clock.
func goldenResponse(route string, c Context) func(*testing.T, []byte, *Report) []byte {
	return func(t *testing.T, in []byte, rep *Report) []byte {
		c := c
		c.Now, c.Report = fixedNow, rep
		m := One(in)
		if route == RouteCreate || route == RouteEvaluationItemList {
			m.Bodies = nil
			for _, r := range gjson.ParseBytes(in).Array() {
				m.Bodies = append(m.Bodies, []byte(r.Raw))
			}
		}
		out, err := legacyPath.Response(route, &c, m)
		must(t, err)
		return out.Body()
	}
}

// goldenError renders an upstream error body for one status and content type.
func goldenError(status int, ct string) func(*testing.T, []byte, *Report) []byte {
	return func(_ *testing.T, in []byte, _ *Report) []byte {
		return RenderError(LegacyVersion, UpstreamError(status, ct, in), "")
	}
}

func goldenCases() []goldenCase {
	name := "Acme INV-0042 (June)"
	return []goldenCase{
		{name: "create_one", request: true, run: goldenRequest(RouteCreate, Options{})},
		{name: "create_example", request: true, run: goldenRequest(RouteCreate, Options{})},
		{name: "create_many", request: true, run: goldenRequest(RouteCreate, Options{ProcessorAliases: testAliases})},
		{name: "create_latest", request: true, run: goldenRequest(RouteCreate, Options{})},
		{name: "create_invalid", request: true, run: goldenRequest(RouteCreate, Options{})},
		{name: "create_unknown_fields", request: true, run: goldenRequest(RouteCreate, Options{})},
		{name: "batch", request: true, run: goldenRequest(RouteBatch, Options{})},
		{name: "update", request: true, run: goldenRequest(RouteUpdate, Options{})},
		{name: "correct_outputs", request: true, run: goldenRequest(RouteCorrectOutputs, Options{})},
		{name: "list_query", request: true, run: listQueryGolden},
		{name: "get_full", run: goldenResponse(RouteGet, Context{})},
		{name: "get_needs_review", run: goldenResponse(RouteGet, Context{Options: Options{ValidArrayAsBooleans: true}})},
		{name: "get_failed", run: goldenResponse(RouteGet, Context{})},
		{name: "get_reviewed", run: goldenResponse(RouteGet, Context{Options: Options{ProcessorAliases: testAliases}})},
		{name: "update_response", run: goldenResponse(RouteUpdate, Context{Name: &name})},
		{name: "cancel", run: goldenResponse(RouteCancel, Context{})},
		{name: "create_response", run: goldenResponse(RouteCreate, Context{ReceivedAt: receivedAt})},
		{name: "list", run: goldenResponse(RouteList, Context{})},
		{name: "delete", run: goldenResponse(RouteDelete, Context{})},
		{name: "batch_response", run: goldenResponse(RouteBatch, Context{})},
		{name: "processor_run_create", request: true, run: goldenRequest(RouteProcessorRunCreate, Options{})},
		{name: "processor_run_open_range", request: true, run: goldenRequest(RouteProcessorRunCreate, Options{})},
		{name: "processor_create_invalid", request: true, run: goldenRequest(RouteProcessorCreate, Options{})},
		{name: "processor_run_get", run: goldenResponse(RouteProcessorRunGet, Context{})},
		{name: "processor_list", run: goldenResponse(RouteProcessorList, Context{})},
		{name: "processor_create", run: goldenResponse(RouteProcessorCreate, Context{})},
		{name: "workflow_create", run: goldenResponse(RouteWorkflowCreate, Context{})},
		{name: "file_get", run: goldenResponse(RouteFileGet, Context{})},
		{name: "file_list", run: goldenResponse(RouteFileList, Context{})},
		{name: "file_delete", run: goldenResponse(RouteFileDelete, Context{})},
		{name: "parse_request", request: true, run: goldenRequest(RouteParse, Options{})},
		{name: "parse_response", run: goldenResponse(RouteParse, Context{})},
		{name: "parse_failed", run: goldenResponse(RouteParse, Context{})},
		{name: "parser_run_get_pending", run: goldenResponse(RouteParserRunGet, Context{})},
		{name: "parse_async_response", run: goldenResponse(RouteParseAsync, Context{})},
		{name: "parser_run_delete", run: goldenResponse(RouteParserRunDelete, Context{})},
		{name: "eval_set_create", request: true, run: goldenRequest(RouteEvaluationSetCreate, Options{})},
		{name: "eval_set_get", run: goldenResponse(RouteEvaluationSetGet, Context{})},
		{name: "eval_item_create", request: true, run: goldenRequest(RouteEvaluationItemCreate, Options{})},
		{name: "eval_item_created", run: goldenResponse(RouteEvaluationItemCreate, Context{Vars: map[string]string{"evaluationSetId": "ev_set_1"}})},
		{name: "eval_item_list", run: goldenResponse(RouteEvaluationItemList, Context{Vars: map[string]string{"id": "ev_set_1"}})},
		{name: "eval_item_delete", run: goldenResponse(RouteEvaluationItemDelete, Context{})},
		{name: "error_404", run: goldenError(404, "application/json")},
		{name: "error_400_code", run: goldenError(400, "application/json")},
		{name: "error_400_other_code", run: goldenError(400, "application/json")},
		{name: "error_502_text", inExt: ".txt", run: goldenError(502, "text/plain")},
		{name: "error_503_empty", inExt: ".txt", run: goldenError(503, "")},
	}
}

// listQueryGolden reads query parameters as a JSON object of string arrays.
func listQueryGolden(t *testing.T, in []byte, rep *Report) []byte {
	var q url.Values
	must(t, json.Unmarshal(in, &q))
	out, err := legacyPath.Request(RouteList, &Context{Report: rep}, Message{Query: q})
	must(t, err)
	b, err := json.Marshal(out.Query)
	must(t, err)
	return b
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// paths returns the input and golden output file of a case.
func (c goldenCase) paths() (in, out string) {
	ext := c.inExt
	if ext == "" {
		ext = ".json"
	}
	base := filepath.Join("testdata", c.name)
	if c.request {
		return base + ".legacy" + ext, base + ".new.json"
	}
	return base + ".new" + ext, base + ".legacy.json"
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			inPath, outPath := c.paths()
			in, err := os.ReadFile(inPath)
			must(t, err)
			got := c.run(t, in, &Report{})
			if !json.Valid(got) {
				t.Fatalf("output is not valid JSON: %s", got)
			}
			if *update {
				var pretty bytes.Buffer
				must(t, json.Indent(&pretty, got, "", "  "))
				must(t, os.WriteFile(outPath, append(pretty.Bytes(), '\n'), 0o644))
				return
			}
			want, err := os.ReadFile(outPath)
			must(t, err)
			assertJSONEqual(t, got, want)
		})
	}
}

// canonical re-encodes JSON with sorted keys and exact numbers.
func canonical(t *testing.T, b []byte) string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("invalid JSON %q: %v", b, err)
	}
	out, err := json.MarshalIndent(v, "", "  ")
	must(t, err)
	return string(out)
}

func assertJSONEqual(t *testing.T, got, want []byte) {
	t.Helper()
	g, w := canonical(t, got), canonical(t, want)
	if g != w {
		t.Errorf("JSON differs:\n%s", lineDiff(w, g))
	}
}

// lineDiff shows the lines only one side has (want "-", got "+"); enough to
// spot a golden mismatch without a diff library.
func lineDiff(want, got string) string {
	count := map[string]int{}
	for _, l := range strings.Split(want, "\n") {
		count[l]++
	}
	var plus []string
	for _, l := range strings.Split(got, "\n") {
		if count[l] > 0 {
			count[l]--
			continue
		}
		plus = append(plus, "+ "+l)
	}
	var minus []string
	for l, n := range count {
		for ; n > 0; n-- {
			minus = append(minus, "- "+l)
		}
	}
	sort.Strings(minus)
	return strings.Join(append(minus, plus...), "\n")
}

// TestSpecWorkedExamples checks the outputs against the examples printed in
// the specs (mapping.md §8, §8.1, §8.2 and N§3.7); -update never touches these.
func TestSpecWorkedExamples(t *testing.T) {
	read := func(p string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", p))
		must(t, err)
		return b
	}
	t.Run("get_full §8", func(t *testing.T) {
		got := goldenResponse(RouteGet, Context{})(t, read("get_full.new.json"), nil)
		assertJSONEqual(t, got, read("spec/get_full.legacy.json"))
	})
	t.Run("create fan-out §8.1", func(t *testing.T) {
		got := goldenRequest(RouteCreate, Options{})(t, read("create_example.legacy.json"), nil)
		assertJSONEqual(t, got, read("spec/create_example.new.json"))
	})
	t.Run("list summary §8.2", func(t *testing.T) {
		got := goldenResponse(RouteList, Context{})(t, read("list.new.json"), nil)
		assertJSONEqual(t, []byte(gjson.GetBytes(got, "workflowRuns.0").Raw), read("spec/list_summary.legacy.json"))
	})
	t.Run("batch N§3.7", func(t *testing.T) {
		got := goldenRequest(RouteBatch, Options{})(t, read("batch.legacy.json"), nil)
		assertJSONEqual(t, got, read("spec/batch.new.json"))
	})
}

// errorBody renders an upstream error as the legacy client sees it.
func errorBody(status int, ct string, body []byte) []byte {
	return RenderError(LegacyVersion, UpstreamError(status, ct, body), "")
}
