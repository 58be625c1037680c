package shadow

import (
	"encoding/json"
	"strconv"

	"github.com/tidwall/gjson"
)

// Diff kinds. Missing means present in A (the served answer) but not in B (the shadow answer); extra is the
// reverse.
const (
	KindMissing = "missing"
	KindExtra   = "extra"
	KindType    = "type"
	KindValue   = "value"
	KindLength  = "length"
	KindStatus  = "status"
	KindInvalid = "invalid"
)

// Paths used for differences that are not inside a JSON document.
const (
	StatusPath = "(status)"
	BodyPath   = "(body)"
)

// Diff is one structural difference between two JSON documents A and B.
type Diff struct {
	// Path is the normalised path: object keys joined by ".", array indexes written "#", dots inside keys
	// escaped as "\.". It is what counts, metrics and ignore patterns use.
	Path string `json:"path"`
	// Concrete is the same path with real array indexes, for looking at one document.
	Concrete string `json:"concrete"`
	// Kind is one of missing, extra, type, value, length, status, invalid.
	Kind string `json:"kind"`
	// AType and BType are JSON types (null, boolean, number, string, array, object), "" when absent.
	AType string `json:"aType,omitempty"`
	BType string `json:"bType,omitempty"`
	// A and B are the raw values; they are customer data, so the Shadower drops them unless StoreValues.
	A json.RawMessage `json:"a,omitempty"`
	B json.RawMessage `json:"b,omitempty"`
	// ALen and BLen are the array lengths of a length diff.
	ALen int `json:"aLen,omitempty"`
	BLen int `json:"bLen,omitempty"`
}

// Compare reports the structural differences between JSON documents a and b. Objects are compared key by
// key, arrays index by index (a length difference is one diff on the array path), scalars by JSON type then
// value, numbers numerically (1 equals 1.0). Paths matching an ignore pattern (see Match) are skipped with
// their subtrees; arrays whose normalised path is listed in unordered are compared as multisets. Invalid JSON
// on either side gives one diff of kind invalid at "(body)".
func Compare(a, b []byte, ignore []string, unordered []string) []Diff {
	va, vb := gjson.ValidBytes(a), gjson.ValidBytes(b)
	if !va || !vb {
		return []Diff{{Path: BodyPath, Concrete: BodyPath, Kind: KindInvalid,
			AType: validity(va, a), BType: validity(vb, b)}}
	}
	c := comparer{ignore: compilePatterns(ignore), unordered: map[string]bool{}}
	for _, u := range unordered {
		c.unordered[u] = true
	}
	c.walk(nil, nil, gjson.ParseBytes(a), gjson.ParseBytes(b))
	return c.diffs
}

// CompareResponses compares two HTTP answers. Different statuses give one diff of kind status at "(status)"
// and the bodies are not compared, because an error body against a success body is noise, not insight.
func CompareResponses(aStatus int, aBody []byte, bStatus int, bBody []byte, ignore, unordered []string) []Diff {
	if aStatus != bStatus {
		return []Diff{{Path: StatusPath, Concrete: StatusPath, Kind: KindStatus, AType: "number", BType: "number",
			A: json.RawMessage(strconv.Itoa(aStatus)), B: json.RawMessage(strconv.Itoa(bStatus))}}
	}
	return Compare(aBody, bBody, ignore, unordered)
}

func validity(ok bool, body []byte) string {
	switch {
	case ok:
		return typeOf(gjson.ParseBytes(body))
	case len(body) == 0:
		return "empty"
	default:
		return "invalid"
	}
}

type comparer struct {
	ignore    []pattern
	unordered map[string]bool
	diffs     []Diff
}

func (c *comparer) add(norm, conc []string, kind string, a, b gjson.Result) {
	d := Diff{Path: joinPath(norm), Concrete: joinPath(conc), Kind: kind}
	if a.Exists() {
		d.AType, d.A = typeOf(a), json.RawMessage(a.Raw)
	}
	if b.Exists() {
		d.BType, d.B = typeOf(b), json.RawMessage(b.Raw)
	}
	c.diffs = append(c.diffs, d)
}

func (c *comparer) walk(norm, conc []string, a, b gjson.Result) {
	if len(norm) > 0 && matchAny(c.ignore, norm) {
		return
	}
	ta, tb := typeOf(a), typeOf(b)
	switch {
	case ta != tb:
		c.add(norm, conc, KindType, a, b)
	case ta == "object":
		c.walkObject(norm, conc, a, b)
	case ta == "array":
		if c.unordered[joinPath(norm)] {
			c.walkUnordered(norm, conc, a.Array(), b.Array())
		} else {
			c.walkArray(norm, conc, a.Array(), b.Array())
		}
	case !scalarEqual(a, b):
		c.add(norm, conc, KindValue, a, b)
	}
}

func (c *comparer) walkObject(norm, conc []string, a, b gjson.Result) {
	// Keys come from ForEach, never from Get: Get would read dots and wildcards in a key as path syntax.
	ka, order := members(a)
	kb, orderB := members(b)
	for _, k := range order {
		n, p := extend(norm, escapeKey(k)), extend(conc, escapeKey(k))
		if vb, ok := kb[k]; ok {
			c.walk(n, p, ka[k], vb)
		} else if !matchAny(c.ignore, n) {
			c.add(n, p, KindMissing, ka[k], gjson.Result{})
		}
	}
	for _, k := range orderB {
		if _, ok := ka[k]; ok {
			continue
		}
		n, p := extend(norm, escapeKey(k)), extend(conc, escapeKey(k))
		if !matchAny(c.ignore, n) {
			c.add(n, p, KindExtra, gjson.Result{}, kb[k])
		}
	}
}

func (c *comparer) walkArray(norm, conc []string, a, b []gjson.Result) {
	n := extend(norm, "#")
	for i := 0; i < len(a) && i < len(b); i++ {
		c.walk(n, extend(conc, strconv.Itoa(i)), a[i], b[i])
	}
	if len(a) != len(b) {
		c.diffs = append(c.diffs, Diff{Path: joinPath(norm), Concrete: joinPath(conc), Kind: KindLength,
			AType: "array", BType: "array", ALen: len(a), BLen: len(b)})
	}
}

// walkUnordered pairs elements with equal canonical JSON (ignored subpaths left out), then diffs the
// leftovers pairwise in their original order, so a reordering alone is never a difference.
func (c *comparer) walkUnordered(norm, conc []string, a, b []gjson.Result) {
	n := extend(norm, "#")
	pool := map[string][]int{}
	for j, e := range b {
		k := c.canonical(n, e)
		pool[k] = append(pool[k], j)
	}
	usedB := make([]bool, len(b))
	var leftA []int
	for i, e := range a {
		k := c.canonical(n, e)
		if js := pool[k]; len(js) > 0 {
			usedB[js[0]] = true
			pool[k] = js[1:]
			continue
		}
		leftA = append(leftA, i)
	}
	var leftB []int
	for j, used := range usedB {
		if !used {
			leftB = append(leftB, j)
		}
	}
	for x := 0; x < len(leftA) && x < len(leftB); x++ {
		c.walk(n, extend(conc, strconv.Itoa(leftA[x])), a[leftA[x]], b[leftB[x]])
	}
	if len(a) != len(b) {
		c.diffs = append(c.diffs, Diff{Path: joinPath(norm), Concrete: joinPath(conc), Kind: KindLength,
			AType: "array", BType: "array", ALen: len(a), BLen: len(b)})
	}
}

// members returns an object's members by key (the first of duplicate keys wins, as in gjson) and key order.
func members(r gjson.Result) (map[string]gjson.Result, []string) {
	m := map[string]gjson.Result{}
	var order []string
	r.ForEach(func(k, v gjson.Result) bool {
		if _, dup := m[k.String()]; !dup {
			m[k.String()] = v
			order = append(order, k.String())
		}
		return true
	})
	return m, order
}

func extend(path []string, seg string) []string {
	out := make([]string, len(path), len(path)+1)
	copy(out, path)
	return append(out, seg)
}

func typeOf(r gjson.Result) string {
	switch {
	case !r.Exists():
		return ""
	case r.IsObject():
		return "object"
	case r.IsArray():
		return "array"
	}
	switch r.Type {
	case gjson.Null:
		return "null"
	case gjson.True, gjson.False:
		return "boolean"
	case gjson.Number:
		return "number"
	default:
		return "string"
	}
}
