package translate

import (
	"math/rand/v2"
	"strings"

	"github.com/tidwall/gjson"
)

// jnode is a JSON value that keeps member order and duplicate keys, so the
// mutations below can produce exactly the bodies the transforms must handle.
type jnode struct {
	raw  string   // a scalar's JSON text; "" for objects and arrays
	obj  bool     // object (keys used) or array
	keys []string // raw JSON keys, quotes included
	kids []*jnode
}

func parseTree(s string) (*jnode, bool) {
	if !gjson.Valid(s) {
		return nil, false
	}
	return toNode(gjson.Parse(s)), true
}

func toNode(r gjson.Result) *jnode {
	if !r.IsObject() && !r.IsArray() {
		return &jnode{raw: r.Raw}
	}
	n := &jnode{obj: r.IsObject()}
	r.ForEach(func(k, v gjson.Result) bool {
		n.keys = append(n.keys, k.Raw)
		n.kids = append(n.kids, toNode(v))
		return true
	})
	return n
}

func (n *jnode) clone() *jnode {
	c := &jnode{raw: n.raw, obj: n.obj, keys: append([]string(nil), n.keys...)}
	for _, k := range n.kids {
		c.kids = append(c.kids, k.clone())
	}
	return c
}

func (n *jnode) container() bool { return n.raw == "" }

// render writes n, with spaces around every token when spaced.
func (n *jnode) render(b []byte, spaced bool) []byte {
	if !n.container() {
		return append(b, n.raw...)
	}
	open, closer := byte('['), byte(']')
	if n.obj {
		open, closer = '{', '}'
	}
	b = append(b, open)
	for i, k := range n.kids {
		if i > 0 {
			b = append(b, ',')
		}
		if spaced {
			b = append(b, "\n "...)
		}
		if n.obj {
			b = append(append(b, n.keys[i]...), ':')
			if spaced {
				b = append(b, ' ')
			}
		}
		b = k.render(b, spaced)
	}
	if spaced {
		b = append(b, '\n')
	}
	return append(b, closer)
}

// all lists n and every value nested in it.
func (n *jnode) all(out []*jnode) []*jnode {
	out = append(out, n)
	for _, k := range n.kids {
		out = k.all(out)
	}
	return out
}

// mutKeys are the keys the transforms read, plus unknown and tricky ones
// (an escaped fileId, a dotted name, an empty key).
var mutKeys = []string{
	"workflowId", "version", "priority", "metadata", "files", "rawTexts", "inputs", "name",
	"fileId", "fileUrl", "fileName", "outputs", "processorId", "output", "file", "rawText", "secrets",
	"splits", "id", "type", "value", "confidence", "classificationId", "startPage", "endPage",
	"observation", "identifier", "page", "extra", "callbackUrl", `file\u0049d`, "a.b", "", "é", `x\"y`,
}

// mutValues are replacement values; objects of every provided-output shape included.
var mutValues = []string{
	`null`, `0`, `-1.5e3`, `20`, `""`, `"latest"`, `"draft"`, `"s"`, `"p"`, `"dp_Cls1"`, `true`, `false`, `{}`, `[]`,
	`{"x":1}`, `["a"]`, `[1]`, `"a\"b\u00e9"`, `"\ud83d\ude00"`, `{"value":{}}`, `{"value":{"a":1}}`, `{"value":1}`,
	`{"id":"c","type":"t","confidence":0.9}`, `{"id":1,"type":"t"}`,
	`{"splits":[{"classificationId":"c","type":"t","startPage":1,"endPage":2,"id":"s"}]}`,
	`{"splits":[{"classificationId":"c","type":"t","startPage":1}]}`, `{"splits":{}}`, `{"splits":[1]}`,
	`{"f":{"id":"f","value":1,"type":"number","page":2},"g":{"id":"g"}}`, `{"f":{"id":3}}`, `{"f":[]}`,
	`{"fileId":"f","fileName":"n"}`, `{"fileUrl":"u","fileName":"n"}`, `{"fileUrl":"","fileId":""}`,
	`{"processorId":"p","output":{"id":"a","type":"b"}}`, `[{"processorId":"dp_Cls1","output":{"value":{"k":[1]}}}]`,
}

// mutate applies one random structural change to tree.
func mutate(rng *rand.Rand, tree *jnode, pool []*jnode) {
	nodes := tree.all(nil)
	n := nodes[rng.IntN(len(nodes))]
	switch op := rng.IntN(10); {
	case op < 3 && n != tree: // replace a value
		*n = *randomValue(rng, pool)
	case op < 5 && n.container() && len(n.kids) > 0: // delete a member or element
		i := rng.IntN(len(n.kids))
		n.kids = append(n.kids[:i], n.kids[i+1:]...)
		if n.obj {
			n.keys = append(n.keys[:i], n.keys[i+1:]...)
		}
	case op < 7 && n.container() && n.obj: // insert a (possibly duplicate) member
		i := rng.IntN(len(n.kids) + 1)
		n.keys = insertAt(n.keys, i, `"`+mutKeys[rng.IntN(len(mutKeys))]+`"`)
		n.kids = insertAt(n.kids, i, randomValue(rng, pool))
	case op < 8 && n.container() && n.obj && len(n.keys) > 0: // rename a member
		n.keys[rng.IntN(len(n.keys))] = `"` + mutKeys[rng.IntN(len(mutKeys))] + `"`
	case op < 9 && n.container() && !n.obj && len(n.kids) > 0: // grow an array to 0/50/51 elements
		want := []int{0, 1, 2, 49, 50, 51}[rng.IntN(6)]
		for len(n.kids) < want {
			n.kids = append(n.kids, n.kids[rng.IntN(len(n.kids))].clone())
		}
		n.kids = n.kids[:want]
	case n.container() && !n.obj: // insert an element
		n.kids = insertAt(n.kids, rng.IntN(len(n.kids)+1), randomValue(rng, pool))
	}
}

func randomValue(rng *rand.Rand, pool []*jnode) *jnode {
	if rng.IntN(3) == 0 {
		all := pool[rng.IntN(len(pool))].all(nil)
		return all[rng.IntN(len(all))].clone()
	}
	v, _ := parseTree(mutValues[rng.IntN(len(mutValues))])
	return v
}

func insertAt[T any](s []T, i int, v T) []T {
	s = append(s, v)
	copy(s[i+1:], s[i:])
	s[i] = v
	return s
}

// mutateBytes breaks the JSON text itself: truncation or a changed byte.
func mutateBytes(rng *rand.Rand, b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	i := rng.IntN(len(b))
	if rng.IntN(2) == 0 {
		return b[:i]
	}
	const junk = "{}[],:\"\\ x0\x01\xff"
	b[i] = junk[rng.IntN(len(junk))]
	return b
}

// reqSeedBodies are hand-made bodies of every shape the transforms know.
func reqSeedBodies() []string {
	files50 := strings.Repeat(`{"fileUrl":"https://x/1.pdf","fileName":"1.pdf","outputs":[{"processorId":"p","output":{"id":"i","type":"t","confidence":1}}]},`, 49)
	return []string{
		``, ` `, `null`, `[]`, `{}`, `{"a":`, "\xff", `"s"`, `{"workflowId":"w"}`,
		`{"workflowId":"w","files":[` + files50 + `{"fileId":"f"}],"rawTexts":["t"]}`,
		`{"workflowId":"w","version":"3","priority":1,"metadata":{"m":1},"rawTexts":["a","b\n"],"files":[
			{"fileId":"f","fileUrl":"u","fileName":"n","extra":1,"outputs":[
			{"processorId":"cl_1","output":{"id":"a","type":"a","confidence":1}},
			{"processorId":"spl_1","output":{"splits":[{"id":"s","classificationId":"c","type":"t","observation":"o","identifier":"i","startPage":1,"endPage":1}]}},
			{"processorId":"dp_Cls1","output":{"value":{"x":[1,2]}}},
			{"processorId":"dp_1","output":{"f":{"id":"f","value":1,"type":"number","confidence":0.5,"page":2},"g":{"id":"g"}}}]}]}`,
		`{"workflowId":"w","version":"draft","inputs":[{"file":{"fileUrl":"u","fileName":"n"},"metadata":{"r":1},"secrets":{"s":"x"}},
			{"rawText":"t"},{"file":{"fileId":"f","fileUrl":"u"},"rawText":null,"x":1}]}`,
		`{"name":"n\"1","metadata":{"a":1}}`, `{"name":null,"metadata":null,"x":[]}`,
	}
}
