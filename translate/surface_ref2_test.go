package translate

// The surface response writers as they were before they moved onto the
// indexed doc (plain gjson Get/ForEach), kept verbatim under a ref prefix as
// the reference the rewrite is held to (surface_equiv_test.go): same bytes,
// same errors, same Report entries and learned parents on any input.

import (
	"fmt"

	"github.com/tidwall/gjson"
)

func refAppendLegacyEvaluationSet(b []byte, es gjson.Result) []byte {
	w := openObj(b)
	w.str("object", "evaluation_set")
	w.reqStr("id", es.Get("id"))
	w.reqStr("name", es.Get("name"))
	w.reqStr("description", es.Get("description"))
	w.reqStr("processorId", es.Get("entity.id"))
	w.reqStr("createdAt", es.Get("createdAt"))
	w.reqStr("updatedAt", es.Get("updatedAt"))
	return w.close()
}

func refAppendLegacyEvaluationItem(b []byte, it, detail gjson.Result, setID string, c *Context) []byte {
	if s := it.Get("evaluationSetId"); s.Type == gjson.String {
		setID = s.Str
	}
	id := it.Get("id").String()
	c.learn(id, setID)
	w := openObj(b)
	w.str("object", "evaluation_set_item")
	w.reqStr("id", it.Get("id"))
	w.str("evaluationSetId", setID)
	w.reqStr("fileId", it.Get("file.id"))
	eo := it.Get("expectedOutput")
	if !eo.Exists() {
		eo = detail.Get("expectedOutput")
	}
	if eo.IsObject() {
		w.key("expectedOutput")
		w.b = refAppendLegacyProvided(w.b, eo, c)
	} else {
		c.Report.unmapped("evaluationSetItems.#.expectedOutput")
	}
	return w.close()
}

func refAppendLegacyProvided(b []byte, out gjson.Result, c *Context) []byte {
	switch {
	case out.Get("splits").IsArray():
		w := openObj(b)
		w.key("splits")
		i := -1
		w.b = refAppendArray(w.b, out.Get("splits"), func(b []byte, s gjson.Result) ([]byte, bool) {
			i++
			if !s.IsObject() {
				return b, false
			}
			sw := openObj(b)
			sw.str("id", itoa(i))
			c.Report.synthesized("expectedOutput.splits.#.id")
			s.ForEach(func(k, v gjson.Result) bool {
				if k.Str != "id" && v.Type != gjson.Null {
					sw.key(k.Str)
					sw.b = refAppendNoNulls(sw.b, v)
				}
				return true
			})
			return sw.close(), true
		})
		return w.close()
	case out.Get("id").Type == gjson.String && out.Get("type").Type == gjson.String:
		return refAppendNoNulls(b, out)
	}
	w := openObj(b)
	w.key("value")
	w.b = refAppendNoNullsOr(w.b, out.Get("value"), "{}")
	return w.close()
}

func refEvalItemCreatedResponse(c *Context, m Message) (Message, error) {
	return refEvalItemsResponse(c, m, true)
}

func refEvalItemsCreatedResponse(c *Context, m Message) (Message, error) {
	return refEvalItemsResponse(c, m, false)
}

func refEvalItemsResponse(c *Context, m Message, one bool) (Message, error) {
	_, root, err := refBodyOf(m)
	if err != nil {
		return Message{}, err
	}
	items := root.Get("evaluationSetItems")
	if !items.IsArray() || len(items.Array()) == 0 {
		return Message{}, fmt.Errorf("%w: no evaluationSetItems in the answer", ErrInvalidResponse)
	}
	w := openObj(nil)
	w.raw("success", "true")
	if one {
		w.key("evaluationSetItem")
		w.b = refAppendLegacyEvaluationItem(w.b, items.Array()[0], gjson.Result{}, c.Vars["evaluationSetId"], c)
		return One(w.close()), nil
	}
	w.key("evaluationSetItems")
	w.b = refAppendArray(w.b, items, func(b []byte, it gjson.Result) ([]byte, bool) {
		return refAppendLegacyEvaluationItem(b, it, gjson.Result{}, c.Vars["evaluationSetId"], c), it.IsObject()
	})
	return One(w.close()), nil
}

func refEvalItemResponse(c *Context, m Message) (Message, error) {
	_, it, err := refBodyOf(m)
	if err != nil {
		return Message{}, err
	}
	w := openObj(nil)
	w.raw("success", "true")
	w.key("evaluationSetItem")
	w.b = refAppendLegacyEvaluationItem(w.b, it, gjson.Result{}, c.Vars["evaluationSetId"], c)
	return One(w.close()), nil
}

func refEvalItemListResponse(c *Context, m Message) (Message, error) {
	if len(m.Bodies) == 0 {
		return Message{}, errOneBody
	}
	root, err := refParseBody(m.Bodies[0])
	if err != nil {
		return Message{}, err
	}
	data := root.Get("data")
	if !data.IsArray() {
		return Message{}, fmt.Errorf("%w: list data is missing or not an array", ErrInvalidResponse)
	}
	details := map[string]gjson.Result{}
	gone := map[string]bool{}
	ids := evaluationItemIDs(m.Bodies[0])
	for j, d := range m.Bodies[1:] {
		if string(d) == "null" && j < len(ids) {
			gone[ids[j]] = true // refDeleted since the list was read
			continue
		}
		if r, err := refParseBody(d); err == nil {
			details[r.Get("id").String()] = r
		}
	}
	setID := c.Vars["id"]
	w := openObj(nil)
	w.raw("success", "true")
	w.key("evaluationSetItems")
	w.b = refAppendArray(w.b, data, func(b []byte, it gjson.Result) ([]byte, bool) {
		if !it.IsObject() {
			return b, false
		}
		if gone[it.Get("id").String()] {
			c.Report.unmapped("evaluationSetItems.#")
			return b, false
		}
		return refAppendLegacyEvaluationItem(b, it, details[it.Get("id").String()], setID, c), true
	})
	w.optStr("nextPageToken", root.Get("nextPageToken"))
	return One(w.close()), nil
}

func refParseBody(body []byte) (gjson.Result, error) {
	if !gjson.ValidBytes(body) {
		return gjson.Result{}, fmt.Errorf("%w: body is not valid JSON", ErrInvalidResponse)
	}
	root := gjson.ParseBytes(body)
	if !root.IsObject() {
		return gjson.Result{}, fmt.Errorf("%w: body is not a JSON object", ErrInvalidResponse)
	}
	return root, nil
}

func refBodyOf(m Message) ([]byte, gjson.Result, error) {
	body, err := single(m)
	if err != nil {
		return nil, gjson.Result{}, err
	}
	root, err := refParseBody(body)
	return body, root, err
}

func refAppendNoNulls(b []byte, v gjson.Result) []byte {
	switch {
	case v.IsObject():
		w := openObj(b)
		v.ForEach(func(k, x gjson.Result) bool {
			if x.Type != gjson.Null {
				w.key(k.Str)
				w.b = refAppendNoNulls(w.b, x)
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
			b = refAppendNoNulls(b, x)
			return true
		})
		return append(b, ']')
	}
	return append(b, v.Raw...)
}

func refNoNulls(_ *Context, m Message) (Message, error) {
	body, root, err := refBodyOf(m)
	if err != nil {
		return Message{}, err
	}
	return One(refAppendNoNulls(make([]byte, 0, len(body)), root)), nil
}

func refEnvelope(key string, write func(b []byte, v gjson.Result) []byte) Transform {
	return func(_ *Context, m Message) (Message, error) {
		body, root, err := refBodyOf(m)
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

func refListEnvelope(key string, write func(b []byte, v gjson.Result) []byte) Transform {
	return func(c *Context, m Message) (Message, error) {
		body, root, err := refBodyOf(m)
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
		w.b = refAppendArray(w.b, data, func(b []byte, v gjson.Result) ([]byte, bool) {
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

func refDeleted(idKey, message string) Transform {
	return func(_ *Context, m Message) (Message, error) {
		_, root, err := refBodyOf(m)
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

func refAppendArray(b []byte, arr gjson.Result, fn func(b []byte, v gjson.Result) ([]byte, bool)) []byte {
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

func refMembers(r gjson.Result, keys ...string) []gjson.Result {
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

func refEnvelopeOf(key string, write func(b []byte, v gjson.Result) []byte) Transform {
	return func(_ *Context, m Message) (Message, error) {
		body, root, err := refBodyOf(m)
		if err != nil {
			return Message{}, err
		}
		w := openObj(make([]byte, 0, len(body)))
		root.ForEach(func(k, v gjson.Result) bool {
			if v.Type == gjson.Null {
				return true
			}
			w.key(k.Str)
			if k.Str == key && v.IsObject() {
				w.b = write(w.b, v)
			} else {
				w.b = refAppendNoNulls(w.b, v)
			}
			return true
		})
		return One(w.close()), nil
	}
}

func refLegacyShapes(_ *Context, m Message) (Message, error) {
	body, root, err := refBodyOf(m)
	if err != nil {
		return Message{}, err
	}
	return One(refAppendLegacyShapes(make([]byte, 0, len(body)), root)), nil
}
