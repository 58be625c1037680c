package translate

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// The request transforms are compared with their reference (reqref_test.go)
// on the golden request bodies, hand-made bodies of every shape and many
// structurally mutated variants of them, under several Options, with and
// without a Report. REQDIFF_N sets the number of mutated inputs (default
// 1500). REQDIFF_RECORD=file writes one digest per input of what the
// current transforms return; REQDIFF_CHECK=file compares with such a record
// (how the rewrite was checked against the code as it was).

// reqOptions are the Options every input is run under.
var reqOptions = []Options{
	{},
	{RejectUnknownFields: true},
	{MaxFiles: 2, CountRawTexts: true, ProcessorAliases: testAliases},
	{ProcessorAliases: map[string]string{"p": "cl_p", "cl_Mm1Nn3Bb5Vv7Cc9Xx1Zz": "x\"y"}},
}

// reqTransforms are the transforms under test: name, current, reference.
var reqTransforms = []struct {
	name     string
	cur, ref func([]byte, Options, *Report) func() string
}{
	{name: "create", cur: func(b []byte, o Options, r *Report) func() string {
		out, err := createRequests(b, o, r)
		return func() string { return describe(fmt.Sprintf("%q", out), err, r) }
	}, ref: func(b []byte, o Options, r *Report) func() string {
		out, err := refCreateRequests(b, o, r)
		return func() string { return describe(fmt.Sprintf("%q", out), err, r) }
	}},
	{name: "batch", cur: func(b []byte, o Options, r *Report) func() string {
		out, n, err := batchRequestBody(b, o, r)
		return func() string { return describe(fmt.Sprintf("%q %d", out, n), err, r) }
	}, ref: func(b []byte, o Options, r *Report) func() string {
		out, n, err := refBatchRequestBody(b, o, r)
		return func() string { return describe(fmt.Sprintf("%q %d", out, n), err, r) }
	}},
	{name: "update", cur: func(b []byte, o Options, r *Report) func() string {
		out, name, err := updateRequestBody(b, o, r)
		return func() string { return describe(fmt.Sprintf("%q %s", out, strPtr(name)), err, r) }
	}, ref: func(b []byte, o Options, r *Report) func() string {
		out, name, err := refUpdateRequestBody(b, o, r)
		return func() string { return describe(fmt.Sprintf("%q %s", out, strPtr(name)), err, r) }
	}},
}

func strPtr(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return strconv.Quote(*s)
}

// describe renders everything a transform returned, the report included.
func describe(out string, err error, r *Report) string {
	var b strings.Builder
	b.WriteString(out)
	if err != nil {
		var re *RequestError
		fmt.Fprintf(&b, " err=%q is=%v", err.Error(), errors.Is(err, ErrInvalidRequest))
		if errors.As(err, &re) {
			fmt.Fprintf(&b, " field=%q msg=%q", re.Field, re.Message)
		}
	}
	if r != nil {
		fmt.Fprintf(&b, " unknown=%q unmapped=%q synth=%q", r.Unknown, r.Unmapped, r.Synthesized)
	}
	return b.String()
}

// runCurrent runs a transform on a private copy of in and overwrites that
// copy before rendering the results, so a result (an error, a Report entry,
// the update's name) that still points into the request body shows up.
func runCurrent(fn func([]byte, Options, *Report) func() string, in []byte, o Options, r *Report) string {
	own := append([]byte(nil), in...)
	got := fn(own, o, r)
	for i := range own {
		own[i] = '#'
	}
	return got()
}

// reqDiffInputs returns the seed bodies plus n mutated variants.
func reqDiffInputs(t testing.TB, n int) [][]byte {
	seeds := reqSeedBodies()
	for _, pat := range []string{"create_*.legacy.json", "batch.legacy.json", "update.legacy.json"} {
		paths, _ := filepath.Glob(filepath.Join("testdata", pat))
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			seeds = append(seeds, string(b))
		}
	}
	rng := rand.New(rand.NewPCG(11, 2026))
	var trees []*jnode
	for _, s := range seeds {
		if tr, ok := parseTree(s); ok {
			trees = append(trees, tr)
		}
	}
	ins := make([][]byte, 0, len(seeds)+n)
	for _, s := range seeds {
		ins = append(ins, []byte(s))
	}
	for range n {
		tr := trees[rng.IntN(len(trees))].clone()
		for k := 1 + rng.IntN(4); k > 0; k-- {
			mutate(rng, tr, trees)
		}
		b := tr.render(nil, rng.IntN(4) == 0)
		if rng.IntN(40) == 0 {
			b = mutateBytes(rng, b)
		}
		ins = append(ins, b)
	}
	return ins
}

func reqDiffN(def int) int {
	if s := os.Getenv("REQDIFF_N"); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
	}
	return def
}

// TestRequestTransformsMatchReference compares the transforms with the
// reference, input by input, and optionally records or checks digests.
func TestRequestTransformsMatchReference(t *testing.T) {
	n := reqDiffN(1500)
	if testing.Short() {
		n = 200
	}
	ins := reqDiffInputs(t, n)
	var digests []string
	for i, in := range ins {
		h := sha256.New()
		for _, tf := range reqTransforms {
			for oi, o := range reqOptions {
				for _, withRep := range []bool{false, true} {
					var rr, rc *Report
					if withRep {
						rr, rc = &Report{}, &Report{}
					}
					want := tf.ref(in, o, rr)()
					got := runCurrent(tf.cur, in, o, rc)
					if got != want {
						t.Fatalf("input %d, %s, options %d, report %v:\n in  %s\n got  %s\n want %s", i, tf.name, oi, withRep, in, got, want)
					}
					h.Write([]byte(got))
				}
			}
		}
		digests = append(digests, fmt.Sprintf("%x", h.Sum(nil)))
	}
	reqDiffRecord(t, digests)
	t.Logf("%d inputs × %d transforms × %d options × 2 compared", len(ins), len(reqTransforms), len(reqOptions))
}

// reqDiffRecord writes or checks the digests (see the comment at the top).
func reqDiffRecord(t *testing.T, digests []string) {
	all := strings.Join(digests, "\n") + "\n"
	if p := os.Getenv("REQDIFF_RECORD"); p != "" {
		if err := os.WriteFile(p, []byte(all), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if p := os.Getenv("REQDIFF_CHECK"); p != "" {
		old, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Split(string(old), "\n")
		for i, d := range digests {
			if i >= len(want) || want[i] != d {
				t.Fatalf("input %d differs from the record %s", i, p)
			}
		}
		t.Logf("%d digests match %s", len(digests), p)
	}
}

// FuzzRequestTransformsMatchReference: any body gives the same outputs,
// errors and reports as the reference.
func FuzzRequestTransformsMatchReference(f *testing.F) {
	for _, in := range reqDiffInputs(f, 200) {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, tf := range reqTransforms {
			for oi, o := range reqOptions {
				want := tf.ref(in, o, &Report{})()
				if got := runCurrent(tf.cur, in, o, &Report{}); got != want {
					t.Fatalf("%s, options %d:\n got  %s\n want %s", tf.name, oi, got, want)
				}
			}
		}
	})
}

// TestRequestHelpersMatchReference compares the gjson-facing wrappers that
// parse and evaluation items use (fileSegment, providedOutput) with the
// reference on every value nested in the differential inputs.
func TestRequestHelpersMatchReference(t *testing.T) {
	n := reqDiffN(1500) / 10
	if testing.Short() {
		n = 100
	}
	checked := 0
	for _, in := range reqDiffInputs(t, n) {
		if !gjson.ValidBytes(in) {
			continue
		}
		var visit func(v gjson.Result)
		visit = func(v gjson.Result) {
			checked++
			compareHelpers(t, v)
			v.ForEach(func(_, c gjson.Result) bool {
				if c.IsObject() || c.IsArray() {
					visit(c)
				}
				return true
			})
		}
		visit(gjson.ParseBytes(in))
	}
	t.Logf("%d values compared", checked)
}

// fileSegment and providedOutput run the doc's appendFile and appendProvided
// on a value held as a gjson.Result, as parse and evaluation items once did
// through wrappers of this shape, so the reference's helpers can be compared
// with them value by value.
func fileSegment(f gjson.Result, path string, known []string, o Options, rep *Report) ([]byte, error) {
	at := reqPath{key: path, idx: -1}
	if !f.IsObject() {
		return nil, errAt(&at, "must be an object")
	}
	d, v, _ := parseDoc([]byte(f.Raw))
	defer d.free()
	b, _, err := d.appendFile(nil, v, &at, known, &o, rep)
	if err != nil {
		return nil, err
	}
	return b, nil
}

func providedOutput(out gjson.Result, path string, rep *Report) ([]byte, error) {
	at := reqPath{key: path, idx: -1}
	if !out.IsObject() {
		return nil, errAt(&at, "is required and must be an object")
	}
	d, v, _ := parseDoc([]byte(out.Raw))
	defer d.free()
	b, err := d.appendProvided(nil, v, &at, rep)
	if err != nil {
		return nil, err
	}
	return b, nil
}

func compareHelpers(t *testing.T, v gjson.Result) {
	t.Helper()
	for _, path := range []string{"", "file", "items[2].expectedOutput"} {
		for oi, o := range reqOptions {
			for _, known := range [][]string{batchFileKeys, createFileKeys} {
				rr, rc := &Report{}, &Report{}
				got, err := fileSegment(v, path, known, o, rc)
				want, werr := refFileSegment(v, path, known, o, rr)
				if g, w := describe(string(got), err, rc), describe(string(want), werr, rr); g != w {
					t.Fatalf("fileSegment(%s, %q), options %d:\n got  %s\n want %s", v.Raw, path, oi, g, w)
				}
			}
		}
		rr, rc := &Report{}, &Report{}
		got, err := providedOutput(v, path, rc)
		want, werr := refProvidedOutput(v, path, rr)
		if g, w := describe(string(got), err, rc), describe(string(want), werr, rr); g != w {
			t.Fatalf("providedOutput(%s, %q):\n got  %s\n want %s", v.Raw, path, g, w)
		}
	}
}
