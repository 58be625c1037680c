package translate

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/tidwall/gjson"
)

// The surface response writers are held byte for byte to the reference
// (surface_ref*_test.go, the writers as they were before the indexed doc):
// the same answer, the same error, the same Report and the same learned
// parents, on the golden bodies, the benchmark bodies and thousands of
// mutations of them (nulls, wrong types, missing and duplicate members,
// unknown block types, empty containers).

// refSurface is the reference transform of every surface route with a response.
func refSurface() map[string]Transform {
	proc := refEnvelopeOf("processorRun", refAppendSurfaceProcessorRun)
	file := refEnvelope("file", refAppendSurfaceFile)
	set := refEnvelope("evaluationSet", refAppendLegacyEvaluationSet)
	return map[string]Transform{
		RouteProcessorRunList: refNoNulls, RouteProcessorRunDelete: refNoNulls, RouteBatchProcessorRunGet: refNoNulls,
		RouteProcessorList: refNoNulls, RouteProcessorRunCreate: proc, RouteProcessorRunGet: proc, RouteProcessorRunCancel: proc,
		RouteProcessorCreate: refLegacyShapes, RouteProcessorUpdate: refLegacyShapes, RouteProcessorVersionGet: refLegacyShapes,
		RouteProcessorVersionList: refLegacyShapes, RouteProcessorVersionCreate: refLegacyShapes,
		RouteWorkflowCreate: refEnvelope("workflow", refAppendLegacyWorkflow),
		RouteFileList:       refListEnvelope("files", refAppendSurfaceFile), RouteFileGet: file, RouteFileUpload: file,
		RouteFileDelete: refDeleted("fileId", fileDeletedMessage),
		RouteParse:      refParseResponseT, RouteParseAsync: refParseAsyncResponse, RouteParserRunGet: refParserRunGetResponse,
		RouteParserRunDelete:   refDeleted("parserRunId", parserRunDeletedMessage),
		RouteEvaluationSetList: refListEnvelope("evaluationSets", refAppendLegacyEvaluationSet), RouteEvaluationSetCreate: set,
		RouteEvaluationSetGet: set, RouteEvaluationItemList: refEvalItemListResponse, RouteEvaluationItemCreate: refEvalItemCreatedResponse,
		RouteEvaluationItemBatch: refEvalItemsCreatedResponse, RouteEvaluationItemUpdate: refEvalItemResponse,
		RouteEvaluationItemDelete: refDeleted("evaluationSetItemId", evaluationItemDeletedMessage),
	}
}

func TestSurfaceReferenceCoversRoutes(t *testing.T) {
	ref := refSurface()
	for name, e := range surfaceEndpoints {
		if (e.Response != nil) != (ref[name] != nil) {
			t.Errorf("route %s: response %v, reference %v", name, e.Response != nil, ref[name] != nil)
		}
	}
}

// surfaceOutcome is everything a response transform produces, printed.
func surfaceOutcome(tr Transform, variant int, m Message) string {
	c := &Context{Vars: map[string]string{"id": "ev_set_v", "evaluationSetId": "ev_set_w"}}
	if variant%4 != 3 {
		c.Report = &Report{}
	}
	c.Options.ParseBlockTypes = []string{"", BlockTypesDrop, BlockTypesPassthrough}[variant%3]
	out, err := tr(c, m)
	parents := make([]string, 0, len(c.Parents))
	for k, v := range c.Parents {
		parents = append(parents, k+"→"+v)
	}
	sort.Strings(parents)
	return fmt.Sprintf("out=%q bodies=%d err=%v report=%+v parents=%q", out.Body(), len(out.Bodies), err, c.Report, parents)
}

// compareSurface runs every route's transform and its reference on m.
func compareSurface(t *testing.T, ref map[string]Transform, variant int, m Message) {
	t.Helper()
	for _, route := range surfaceRoutes() {
		tr := surfaceEndpoints[route].Response
		if tr == nil {
			continue
		}
		got, want := surfaceOutcome(tr, variant, m), surfaceOutcome(ref[route], variant, m)
		if got != want {
			t.Fatalf("route %s, variant %d, bodies %q:\n got %s\nwant %s", route, variant, m.Bodies, got, want)
		}
	}
}

// surfaceSeeds are the golden 2026-02-09 bodies and small benchmark bodies.
func surfaceSeeds(t testing.TB) [][]byte {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.new.json"))
	if err != nil {
		t.Fatal(err)
	}
	var seeds [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	list, details := evalItemBodies(3)
	seeds = append(seeds, parseRunOf(2, 8), fileWithPages(2), fileList(3), list, details[0],
		[]byte(`{"processorRun":{"id":"r","config":{"type":"EXTRACT","parser":{"blockOptions":{"text":{"agentic":{"enabled":false}}},"x":null}},`+
			`"files":[{"id":"f","name":"n","metadata":{"parentSplit":{"id":"s","type":"t","identifier":"i","startPage":1,"endPage":null}}}],"output":null},"success":true}`),
		[]byte(`{"expectedOutput":{"splits":[{"id":"z","type":"t","startPage":1,"n":null},{"type":"u"}]},"id":"i","evaluationSetId":"s","file":{"id":"f"}}`),
		[]byte(`{"success":true,"versions":[{"config":{"parser":{"blockOptions":{"text":{"agentic":{"enabled":true},"x":1},"t":{}},"advancedOptions":{"a":1,"agenticOcrEnabled":false}}}},`+
			`{"config":{"parser":{"blockOptions":{"text":{"agentic":{"enabled":false}}},"target":"m","advancedOptions":{"agenticOcrEnabled":null}},"type":"X"}},`+
			`{"config":{"parser":{"blockOptions":{"text":{"agentic":{"enabled":"yes"},"y":null}},"advancedOptions":"s"}}},`+
			`{"config":{"parser":{"blockOptions":{"text":{"agentic":true}},"advancedOptions":[1]}}}]}`),
		[]byte(`{"processor":{"config":{"parser":{"advancedOptions":{},"blockOptions":{"text":{"agentic":{"enabled":true,"enabled":false}}}},"parser":null}}}`),
		[]byte("{\"processorRuns\" : [ {\"a\\u0062\":null, \"k\\\"q\\\\\":[1, null , {\"\xff\":2,\"\u00e9\":\"\\\\\"}], \"x\":{\"y\":{\"z\":null}}} ] , \"n\":-1.5e3}"),
		[]byte(`{"data":[{"id":"es","name":"n","entity":{"id":"p"},"description":null}],"nextPageToken":"t"}`))
	return seeds
}

// replacements are what a mutation writes over a value.
var replacements = []string{`null`, `"x"`, `""`, `12.5`, `-3`, `7`, `1e2`, `true`, `false`, `{}`, `[]`, `[null]`, `{"a":null,"b":[null,{"c":null}]}`,
	`{"type":"unknown_kind"}`, `{"type":"table_details","x":null}`, `"PENDING"`, `"PROCESSED"`, `"FAILED"`, `"key_value"`, `"table"`,
	`"PDF"`, `"\u00e9\"q\n"`, `{"splits":[{"id":1,"x":null},5,{"name":"s"}]}`, `{"id":"c","type":"t","confidence":null}`,
	`{"value":null}`, `{"end":"9"}`, `{"pageRange":{"start":1,"end":4.5}}`, `{"text":{"agentic":{"enabled":true}}}`}

// mutate changes one to three places of a JSON text: a value replaced (by
// a fixed one or another value of the text), a member renamed away, or a
// member duplicated in front of itself (the first occurrence must win).
func mutateSurface(r *rand.Rand, in []byte) []byte {
	for range 1 + r.IntN(3) {
		var spots [][2]int // value spans; a negative start marks a key span
		collectSpots(gjson.ParseBytes(in), &spots)
		if len(spots) == 0 {
			return in
		}
		s := spots[r.IntN(len(spots))]
		switch op := r.IntN(10); {
		case s[0] < 0 && op < 5: // rename the key: the member goes missing
			in = splice(in, -s[0], s[1], `"zz`+strconv.Itoa(op)+`"`)
		case s[0] < 0: // duplicate the member in front of itself, another value first
			o := spots[r.IntN(len(spots))]
			if o[0] < 0 {
				o = s
			}
			in = splice(in, -s[0], -s[0], string(in[-s[0]:s[1]])+":"+string(in[abs(o[0]):o[1]])+",")
		case op < 7:
			in = splice(in, s[0], s[1], replacements[r.IntN(len(replacements))])
		default:
			o := spots[r.IntN(len(spots))]
			in = splice(in, s[0], s[1], string(in[abs(o[0]):o[1]]))
		}
	}
	return in
}

func abs(i int) int { return max(i, -i) }

func splice(b []byte, from, to int, with string) []byte {
	out := append(append([]byte(nil), b[:from]...), with...)
	return append(out, b[to:]...)
}

// collectSpots lists every value below v ([start, end)) and every key
// ([-start, end of the key]).
func collectSpots(v gjson.Result, spots *[][2]int) {
	v.ForEach(func(k, x gjson.Result) bool {
		if k.Type == gjson.String && k.Index > 0 {
			*spots = append(*spots, [2]int{-k.Index, k.Index + len(k.Raw)})
		}
		*spots = append(*spots, [2]int{x.Index, x.Index + len(x.Raw)})
		if x.IsObject() || x.IsArray() {
			collectSpots(x, spots)
		}
		return true
	})
}

// surfaceCase is the n-th generated input: a mutated seed, and for the
// item list the detail bodies the proxy would have fetched.
func surfaceCase(seeds [][]byte, n int) (Message, int) {
	r := rand.New(rand.NewPCG(uint64(n), 11))
	in := seeds[n%len(seeds)]
	if n >= len(seeds) {
		in = mutateSurface(r, in)
	}
	m := One(in)
	if r.IntN(3) == 0 {
		list, details := evalItemBodies(1 + r.IntN(4))
		if r.IntN(2) == 0 {
			list = mutateSurface(r, list)
		}
		m.Bodies = [][]byte{list}
		for _, d := range details {
			switch r.IntN(8) {
			case 0:
				d = []byte(`null`)
			case 1:
				d = []byte(`{"id":`)
			case 2, 3:
				d = mutateSurface(r, d)
			}
			m.Bodies = append(m.Bodies, d)
		}
		if r.IntN(4) == 0 {
			m.Bodies = append(m.Bodies, in)
		}
	}
	return m, r.IntN(12)
}

// surfaceCaseCount is how many generated inputs the test compares:
// SURF_EQUIV_N, else a number that keeps the race-enabled run short.
func surfaceCaseCount(short int) int {
	if n, err := strconv.Atoi(os.Getenv("SURF_EQUIV_N")); err == nil {
		return n
	}
	return short
}

func TestSurfaceMatchesReference(t *testing.T) {
	seeds, ref := surfaceSeeds(t), refSurface()
	for n := range surfaceCaseCount(1500) {
		m, variant := surfaceCase(seeds, n)
		compareSurface(t, ref, variant, m)
	}
}

// TestSurfaceRecord writes, when SURF_RECORD names a file, a digest of
// every route's outcome on every generated input: run on two versions of
// the code, the files must be identical.
func TestSurfaceRecord(t *testing.T) {
	path := os.Getenv("SURF_RECORD")
	if path == "" {
		t.Skip("SURF_RECORD not set")
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seeds := surfaceSeeds(t)
	for n := range surfaceCaseCount(1500) {
		m, variant := surfaceCase(seeds, n)
		for _, route := range surfaceRoutes() {
			if tr := surfaceEndpoints[route].Response; tr != nil {
				fmt.Fprintf(f, "%d %s %x\n", n, route, sha256.Sum256([]byte(surfaceOutcome(tr, variant, m))))
			}
		}
	}
}

// FuzzSurfaceMatchesReference compares every surface route with its
// reference on any body, alone or as the list of an item-list expansion.
func FuzzSurfaceMatchesReference(f *testing.F) {
	for _, s := range surfaceSeeds(f) {
		f.Add(s, uint8(0))
	}
	ref := refSurface()
	f.Fuzz(func(t *testing.T, in []byte, variant uint8) {
		m := One(in)
		if variant&16 != 0 {
			_, details := evalItemBodies(2)
			m.Bodies = append(m.Bodies, details[0], []byte(`null`), details[1], in)
		}
		compareSurface(t, ref, int(variant), m)
	})
}
