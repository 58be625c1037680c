package translate

import (
	"bytes"
	"encoding/json"
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
type goldenCase struct {
	name    string
	request bool   // legacy → new when true, new → legacy otherwise
	inExt   string // input extension; default ".json"
	run     func(t *testing.T, in []byte) []byte
}

// Fixed clock values keep synthesized timestamps stable in golden files.
var (
	receivedAt = time.Date(2026, 2, 20, 14, 11, 7, 500_000_000, time.UTC)
	fixedNow   = time.Date(2026, 2, 20, 15, 0, 0, 0, time.UTC)
)

var testAliases = map[string]string{"dp_Cls1": "cl_Cls1", "dp_MergedInvoice": "ex_Ee4Rr6Tt8Yy0Uu2Ii4Oo"}

// goldenCreate runs CreateRequests and joins the bodies into one JSON array.
func goldenCreate(o Options) func(*testing.T, []byte) []byte {
	return func(t *testing.T, in []byte) []byte {
		reqs, err := CreateRequests(in, o, nil)
		must(t, err)
		return append(append([]byte("["), bytes.Join(reqs, []byte(","))...), ']')
	}
}

// goldenRun runs RunResponse with a fixed clock.
func goldenRun(rc RunContext, o Options) func(*testing.T, []byte) []byte {
	return func(t *testing.T, in []byte) []byte {
		rc.Now = fixedNow
		out, err := RunResponse(in, rc, o)
		must(t, err)
		return out
	}
}

// goldenError runs ErrorBody for one status and content type.
func goldenError(status int, ct string) func(*testing.T, []byte) []byte {
	return func(_ *testing.T, in []byte) []byte { return ErrorBody(status, ct, in) }
}

// goldenFunc adapts the transforms with a (body, error) result.
func goldenFunc(fn func([]byte) ([]byte, error)) func(*testing.T, []byte) []byte {
	return func(t *testing.T, in []byte) []byte {
		out, err := fn(in)
		must(t, err)
		return out
	}
}

func goldenCases() []goldenCase {
	name := "Acme INV-0042 (June)"
	return []goldenCase{
		{name: "create_one", request: true, run: goldenCreate(Options{})},
		{name: "create_example", request: true, run: goldenCreate(Options{})},
		{name: "create_many", request: true, run: goldenCreate(Options{ProcessorAliases: testAliases})},
		{name: "create_latest", request: true, run: goldenCreate(Options{})},
		{name: "batch", request: true, run: goldenFunc(func(in []byte) ([]byte, error) {
			return BatchRequest(in, Options{}, nil)
		})},
		{name: "update", request: true, run: func(t *testing.T, in []byte) []byte {
			out, _, err := UpdateRequest(in, nil)
			must(t, err)
			return out
		}},
		{name: "list_query", request: true, run: listQueryGolden},
		{name: "get_full", run: goldenRun(RunContext{}, Options{})},
		{name: "get_needs_review", run: goldenRun(RunContext{}, Options{ValidArrayAsBooleans: true})},
		{name: "get_failed", run: goldenRun(RunContext{}, Options{})},
		{name: "get_reviewed", run: goldenRun(RunContext{}, Options{ProcessorAliases: testAliases})},
		{name: "update_response", run: goldenRun(RunContext{Name: &name}, Options{})},
		{name: "cancel", run: goldenRun(RunContext{}, Options{})},
		{name: "create_response", run: func(t *testing.T, in []byte) []byte {
			var runs [][]byte
			for _, r := range gjson.ParseBytes(in).Array() {
				runs = append(runs, []byte(r.Raw))
			}
			out, err := CreateResponse(runs, RunContext{ReceivedAt: receivedAt, Now: fixedNow}, Options{})
			must(t, err)
			return out
		}},
		{name: "list", run: goldenFunc(func(in []byte) ([]byte, error) {
			return ListResponse(in, Options{}, nil)
		})},
		{name: "delete", run: goldenFunc(DeleteResponse)},
		{name: "batch_response", run: goldenFunc(BatchResponse)},
		{name: "error_404", run: goldenError(404, "application/json")},
		{name: "error_400_code", run: goldenError(400, "application/json")},
		{name: "error_400_other_code", run: goldenError(400, "application/json")},
		{name: "error_502_text", inExt: ".txt", run: goldenError(502, "text/plain")},
		{name: "error_503_empty", inExt: ".txt", run: goldenError(503, "")},
	}
}

// listQueryGolden reads query parameters as a JSON object of string arrays.
func listQueryGolden(t *testing.T, in []byte) []byte {
	var q url.Values
	must(t, json.Unmarshal(in, &q))
	out, err := json.Marshal(ListQuery(q))
	must(t, err)
	return out
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
			got := c.run(t, in)
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
		got, err := RunResponse(read("get_full.new.json"), RunContext{}, Options{})
		must(t, err)
		assertJSONEqual(t, got, read("spec/get_full.legacy.json"))
	})
	t.Run("create fan-out §8.1", func(t *testing.T) {
		reqs, err := CreateRequests(read("create_example.legacy.json"), Options{}, nil)
		must(t, err)
		got := append(append([]byte("["), bytes.Join(reqs, []byte(","))...), ']')
		assertJSONEqual(t, got, read("spec/create_example.new.json"))
	})
	t.Run("list summary §8.2", func(t *testing.T) {
		got, err := ListResponse(read("list.new.json"), Options{}, nil)
		must(t, err)
		assertJSONEqual(t, []byte(gjson.GetBytes(got, "workflowRuns.0").Raw), read("spec/list_summary.legacy.json"))
	})
	t.Run("batch N§3.7", func(t *testing.T) {
		got, err := BatchRequest(read("batch.legacy.json"), Options{}, nil)
		must(t, err)
		assertJSONEqual(t, got, read("spec/batch.new.json"))
	})
}
