package translate

import (
	"fmt"

	"github.com/tidwall/gjson"
)

// parseBody checks an upstream body of the wider surface once at the edge.
func parseBody(body []byte) (gjson.Result, error) {
	if !gjson.ValidBytes(body) {
		return gjson.Result{}, fmt.Errorf("%w: body is not valid JSON", ErrInvalidResponse)
	}
	root := gjson.ParseBytes(body)
	if !root.IsObject() {
		return gjson.Result{}, fmt.Errorf("%w: body is not a JSON object", ErrInvalidResponse)
	}
	return root, nil
}

// bodyOf is the single body of m, checked once at the edge and parsed.
func bodyOf(m Message) ([]byte, gjson.Result, error) {
	body, err := single(m)
	if err != nil {
		return nil, gjson.Result{}, err
	}
	root, err := parseBody(body)
	return body, root, err
}

// appendNoNulls copies a JSON value, leaving out every object member whose
// value is null, at any depth: the normalisation N0 of S§4.0, since
// 2026-02-09 made many optional legacy fields required-nullable. Array
// elements are kept as they are.
func appendNoNulls(b []byte, v gjson.Result) []byte {
	switch {
	case v.IsObject():
		w := openObj(b)
		v.ForEach(func(k, x gjson.Result) bool {
			if x.Type != gjson.Null {
				w.key(k.Str)
				w.b = appendNoNulls(w.b, x)
			}
			return true
		})
		return w.close()
	case v.IsArray():
		b = append(b, '[')
		first := true
		v.ForEach(func(_, x gjson.Result) bool {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = appendNoNulls(b, x)
			return true
		})
		return append(b, ']')
	}
	return append(b, v.Raw...)
}

// noNulls is the response transform of the forwarded (class a) methods: the
// body is the legacy one already, less the nulls (surface D1).
func noNulls(_ *Context, m Message) (Message, error) {
	body, root, err := bodyOf(m)
	if err != nil {
		return Message{}, err
	}
	return One(appendNoNulls(make([]byte, 0, len(body)), root)), nil
}

// envelope writes {success:true, <key>: write(value)}.
func envelope(key string, write func(b []byte, v gjson.Result) []byte) Transform {
	return func(_ *Context, m Message) (Message, error) {
		body, root, err := bodyOf(m)
		if err != nil {
			return Message{}, err
		}
		w := openObj(make([]byte, 0, len(body)+64))
		w.raw("success", "true")
		w.key(key)
		w.b = write(w.b, root)
		return One(w.close()), nil
	}
}

// listEnvelope writes {success:true, <key>: data.map(write), nextPageToken?}
// from a 2026-02-09 list {object:"list", data, nextPageToken} (S§1.2).
func listEnvelope(key string, write func(b []byte, v gjson.Result) []byte) Transform {
	return func(c *Context, m Message) (Message, error) {
		body, root, err := bodyOf(m)
		if err != nil {
			return Message{}, err
		}
		data := root.Get("data")
		if !data.IsArray() {
			return Message{}, fmt.Errorf("%w: list data is missing or not an array", ErrInvalidResponse)
		}
		w := openObj(make([]byte, 0, len(body)+64))
		w.raw("success", "true")
		w.key(key)
		i := -1
		w.b = appendArray(w.b, data, func(b []byte, v gjson.Result) ([]byte, bool) {
			i++
			if !v.IsObject() {
				c.Report.unmapped("data[" + itoa(i) + "]")
				return b, false
			}
			return write(b, v), true
		})
		w.optStr("nextPageToken", root.Get("nextPageToken"))
		return One(w.close()), nil
	}
}

// deleted writes {success:true, <idKey>: id, message} from a 2026-02-09 {id}
// (S§1.2: the fixed messages of the legacy fixtures).
func deleted(idKey, message string) Transform {
	return func(_ *Context, m Message) (Message, error) {
		_, root, err := bodyOf(m)
		if err != nil {
			return Message{}, err
		}
		id := root.Get("id")
		if id.Type != gjson.String {
			return Message{}, fmt.Errorf("%w: delete answer without an id", ErrInvalidResponse)
		}
		w := openObj(nil)
		w.raw("success", "true")
		w.raw(idKey, id.Raw)
		w.str("message", message)
		return One(w.close()), nil
	}
}

// appendArray writes the elements of arr through fn, skipping elements for
// which fn reports false (fn must then leave b unchanged); a value that is not
// an array gives []. The surface writers use it over plain gjson values; the
// workflow-run writers use the indexed doc's method of the same name.
func appendArray(b []byte, arr gjson.Result, fn func(b []byte, v gjson.Result) ([]byte, bool)) []byte {
	b = append(b, '[')
	if !arr.IsArray() {
		return append(b, ']')
	}
	n := 0
	arr.ForEach(func(_, v gjson.Result) bool {
		mark := len(b)
		if n > 0 {
			b = append(b, ',')
		}
		var ok bool
		if b, ok = fn(b, v); !ok {
			b = b[:mark]
			return true
		}
		n++
		return true
	})
	return append(b, ']')
}

// members reads several keys of an object in one pass (the first occurrence
// of a key wins, as with gjson's Get), stopping once all are found, so a
// writer never rescans a large object once per field.
func members(r gjson.Result, keys ...string) []gjson.Result {
	out := make([]gjson.Result, len(keys))
	left := len(keys)
	r.ForEach(func(k, v gjson.Result) bool {
		for i, key := range keys {
			if k.Str == key && !out[i].Exists() {
				out[i] = v
				left--
				break
			}
		}
		return left > 0
	})
	return out
}
