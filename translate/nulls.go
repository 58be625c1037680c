package translate

import (
	"fmt"

	"github.com/tidwall/gjson"
)

// noNulls is the response transform of the forwarded (class a) methods: the
// body is the legacy one already, less the nulls (surface D1).
func noNulls(c *Context, m Message) (Message, error) {
	return surfaceAnswer(c, m, func(b []byte, d *doc, root gjson.Result) ([]byte, error) {
		return d.appendNoNulls(b, root), nil
	})
}

// envelope writes {success:true, <key>: write(value)}.
func envelope(key string, write func(d *doc, b []byte, v gjson.Result) []byte) Transform {
	return func(c *Context, m Message) (Message, error) {
		return surfaceAnswer(c, m, func(b []byte, d *doc, root gjson.Result) ([]byte, error) {
			w := openObj(b)
			w.raw("success", "true")
			w.key(key)
			w.b = write(d, w.b, root)
			return w.close(), nil
		})
	}
}

// listEnvelope writes {success:true, <key>: data.map(write), nextPageToken?}
// from a 2026-02-09 list {object:"list", data, nextPageToken} (S§1.2).
func listEnvelope(key string, write func(d *doc, b []byte, v gjson.Result) []byte) Transform {
	return func(c *Context, m Message) (Message, error) {
		return surfaceAnswer(c, m, func(b []byte, d *doc, root gjson.Result) ([]byte, error) {
			var top [2]gjson.Result
			d.pick(root, listKeys, top[:])
			if !top[0].IsArray() {
				return nil, fmt.Errorf("%w: list data is missing or not an array", ErrInvalidResponse)
			}
			w := openObj(b)
			w.raw("success", "true")
			w.key(key)
			i := -1
			w.b = d.appendArray(w.b, top[0], func(b []byte, v gjson.Result) ([]byte, bool) {
				i++
				if !v.IsObject() {
					c.Report.unmapped("data[" + itoa(i) + "]")
					return b, false
				}
				return write(d, b, v), true
			})
			w.optStr("nextPageToken", top[1])
			return w.close(), nil
		})
	}
}

// deleted writes {success:true, <idKey>: id, message} from a 2026-02-09 {id}
// (S§1.2: the fixed messages of the legacy fixtures).
func deleted(idKey, message string) Transform {
	return func(c *Context, m Message) (Message, error) {
		return surfaceAnswer(c, m, func(b []byte, d *doc, root gjson.Result) ([]byte, error) {
			id := d.get(root, "id")
			if id.Type != gjson.String {
				return nil, fmt.Errorf("%w: delete answer without an id", ErrInvalidResponse)
			}
			w := openObj(b)
			w.raw("success", "true")
			w.raw(idKey, id.Raw)
			w.str("message", message)
			return w.close(), nil
		})
	}
}
