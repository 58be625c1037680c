package shadow

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type wantDiff struct{ path, concrete, kind, aType, bType string }

func TestCompare(t *testing.T) {
	tests := []struct {
		name      string
		a, b      string
		ignore    []string
		unordered []string
		want      []wantDiff
	}{
		{name: "equal", a: `{"a":1,"b":[1,2],"c":{"d":null}}`, b: `{"c":{"d":null},"b":[1,2],"a":1}`},
		{name: "missing", a: `{"a":1,"b":2}`, b: `{"a":1}`,
			want: []wantDiff{{"b", "b", KindMissing, "number", ""}}},
		{name: "extra", a: `{"a":1}`, b: `{"a":1,"b":"x"}`,
			want: []wantDiff{{"b", "b", KindExtra, "", "string"}}},
		{name: "type", a: `{"a":"1"}`, b: `{"a":1}`,
			want: []wantDiff{{"a", "a", KindType, "string", "number"}}},
		{name: "value", a: `{"a":{"b":true}}`, b: `{"a":{"b":false}}`,
			want: []wantDiff{{"a.b", "a.b", KindValue, "boolean", "boolean"}}},
		{name: "nested array index normalised", a: `{"r":[{"o":[{"id":"x"}]},{"o":[{"id":"y"}]}]}`,
			b:    `{"r":[{"o":[{"id":"x"}]},{"o":[{"id":"z"}]}]}`,
			want: []wantDiff{{"r.#.o.#.id", "r.1.o.0.id", KindValue, "string", "string"}}},
		{name: "length", a: `{"a":[1,2,3]}`, b: `{"a":[1,2]}`,
			want: []wantDiff{{"a", "a", KindLength, "array", "array"}}},
		{name: "order matters by default", a: `{"a":[1,2]}`, b: `{"a":[2,1]}`,
			want: []wantDiff{{"a.#", "a.0", KindValue, "number", "number"}, {"a.#", "a.1", KindValue, "number", "number"}}},
		{name: "unordered", a: `{"a":[{"x":1},{"y":2},{"x":1}]}`, b: `{"a":[{"y":2},{"x":1.0},{"x":1}]}`,
			unordered: []string{"a"}},
		{name: "unordered leftovers diffed pairwise", a: `{"a":[{"x":1},{"y":2}]}`, b: `{"a":[{"y":2},{"x":3}]}`,
			unordered: []string{"a"}, want: []wantDiff{{"a.#.x", "a.0.x", KindValue, "number", "number"}}},
		{name: "unordered length", a: `{"a":[1,2,2]}`, b: `{"a":[2,1]}`, unordered: []string{"a"},
			want: []wantDiff{{"a", "a", KindLength, "array", "array"}}},
		{name: "unordered honours ignore", a: `{"a":[{"id":1,"u":5},{"id":2,"u":6}]}`,
			b: `{"a":[{"id":2,"u":0},{"id":1,"u":9}]}`, unordered: []string{"a"}, ignore: []string{"a.#.u"}},
		{name: "ignore exact and subtree", a: `{"a":{"b":1,"c":{"d":1}},"e":1}`, b: `{"a":{"b":2,"c":{"d":2}},"e":1}`,
			ignore: []string{"a.b", "a.c"}},
		{name: "ignore missing key", a: `{"a":1,"u":1}`, b: `{"a":1}`, ignore: []string{"u"}},
		{name: "prefix ignore", a: `{"a":{"b":1},"a2":1}`, b: `{"a":{"b":2},"a2":2}`, ignore: []string{"a.*"},
			want: []wantDiff{{"a2", "a2", KindValue, "number", "number"}}},
		{name: "prefix ignore does not hide the node itself", a: `{"a":{"b":1}}`, b: `{"a":[1]}`, ignore: []string{"a.*"},
			want: []wantDiff{{"a", "a", KindType, "object", "array"}}},
		{name: "wildcard segment", a: `{"r":[{"u":1,"v":1}]}`, b: `{"r":[{"u":2,"v":1}]}`, ignore: []string{"r.*.u"}},
		{name: "numbers compare numerically", a: `{"a":1,"b":1e2,"c":0.10}`, b: `{"a":1.0,"b":100,"c":0.1}`},
		{name: "huge exponent does not hang", a: `{"a":1e999999999}`, b: `{"a":2e999999999}`,
			want: []wantDiff{{"a", "a", KindValue, "number", "number"}}},
		{name: "string escapes are decoded", a: `{"a":"\u0041"}`, b: `{"a":"A"}`},
		{name: "dotted keys are escaped", a: `{"a.b":1,"#":1}`, b: `{"a.b":2,"#":2}`, ignore: []string{`\#`},
			want: []wantDiff{{`a\.b`, `a\.b`, KindValue, "number", "number"}}},
		{name: "gjson syntax in keys is literal", a: `{"a*":1,"a":2}`, b: `{"a*":1,"a":2}`},
		{name: "invalid json", a: `{"a":`, b: `{}`,
			want: []wantDiff{{BodyPath, BodyPath, KindInvalid, "invalid", "object"}}},
		{name: "empty body", a: `{}`, b: ``,
			want: []wantDiff{{BodyPath, BodyPath, KindInvalid, "object", "empty"}}},
		{name: "root type", a: `[]`, b: `{}`, want: []wantDiff{{"", "", KindType, "array", "object"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compare([]byte(tt.a), []byte(tt.b), tt.ignore, tt.unordered)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d diffs %+v, want %+v", len(got), got, tt.want)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Path != w.path || g.Concrete != w.concrete || g.Kind != w.kind || g.AType != w.aType || g.BType != w.bType {
					t.Errorf("diff %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestCompareResponsesStatus(t *testing.T) {
	got := CompareResponses(200, []byte(`{"a":1}`), 502, []byte(`{"error":"x"}`), nil, nil)
	if len(got) != 1 || got[0].Kind != KindStatus || got[0].Path != StatusPath ||
		string(got[0].A) != "200" || string(got[0].B) != "502" {
		t.Fatalf("got %+v", got)
	}
	if got := CompareResponses(200, []byte(`{"a":1}`), 200, []byte(`{"a":2}`), nil, nil); len(got) != 1 || got[0].Kind != KindValue {
		t.Fatalf("same status should compare bodies, got %+v", got)
	}
}

func TestCompareValuesAreRaw(t *testing.T) {
	got := Compare([]byte(`{"a":{"x":[1]}}`), []byte(`{}`), nil, nil)
	if len(got) != 1 || string(got[0].A) != `{"x":[1]}` || got[0].B != nil {
		t.Fatalf("got %+v", got)
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"a.b", "a.b", true},
		{"a.b", "a.b.c", true},
		{"a.b", "a.bc", false},
		{"a.b", "a", false},
		{"a.*", "a", false},
		{"a.*", "a.x.y", true},
		{"a.#.u", "a.#.u", true},
		{"a.*.u", "a.#.u", true},
		{"a.*.u", "a.#.v", false},
		{`a\.b`, `a\.b`, true},
		{`a\.b`, "a.b", false},
		{"*", "anything", true},
		{" ", "a", false},
	}
	for _, tt := range tests {
		if got := Match([]string{tt.pattern}, tt.path); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func FuzzCompare(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":2}]}`), []byte(`{"a":[{"b":3},1]}`))
	f.Add([]byte(`[1e5]`), []byte(`[100000]`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		_ = Compare(a, b, []string{"a.*"}, []string{"a"})
		if d := Compare(a, a, nil, []string{"a"}); len(d) != 0 && d[0].Kind != KindInvalid {
			t.Fatalf("a document differs from itself: %+v", d)
		}
	})
}

func BenchmarkCompareRun(b *testing.B) {
	run := []byte(`{"success":true,"workflowRun":{"id":"workflow_run_1","status":"PROCESSED","name":"a.pdf",` +
		`"files":[{"id":"f1","name":"a.pdf","metadata":{"pageCount":3}}],` +
		`"outputs":[{"processorId":"p1","output":{"value":{"total":12.5,"lines":[1,2,3]}},"edits":{}},` +
		`{"processorId":"p2","output":{"type":"invoice","confidence":0.9},"edits":{}}],"stepRuns":[]}}`)
	other := []byte(`{"success":true,"workflowRun":{"id":"workflow_run_1","status":"PROCESSED","name":"a.pdf",` +
		`"files":[{"id":"f1","name":"a.pdf","metadata":{"pageCount":3}}],` +
		`"outputs":[{"processorId":"p2","output":{"type":"invoice","confidence":0.9},"edits":{}},` +
		`{"processorId":"p1","output":{"value":{"total":12.50,"lines":[1,2,3]}},"edits":{}}],"stepRuns":[]}}`)
	unordered := DefaultConfig().Unordered
	b.ReportAllocs()
	for b.Loop() {
		if d := Compare(run, other, nil, unordered); len(d) != 0 {
			b.Fatalf("unexpected diffs %+v", d)
		}
	}
}
