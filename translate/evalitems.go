package translate

import (
	"fmt"

	"github.com/tidwall/gjson"
)

// The answers carrying evaluation set items (S§8): ESI→LESI on the
// indexed doc; an item list also reads the full items the proxy fetched (D6).

// Members of an item, read in one pass, and their indexes.
var itemKeys = []string{"evaluationSetId", "id", "expectedOutput", "file"}

const (
	iSet = iota
	iID
	iExpected
	iFile
	itemKeyCount
)

// appendLegacyEvaluationItem is ESI→LESI over item it, whose members f the caller picked.
// setID fills evaluationSetId when the item (a list summary) does not carry
// it; detail (of doc dd), when it exists, is the expectedOutput of the
// full item, which a summary lacks. The item → set pair is learned into s.
func (d *doc) appendLegacyEvaluationItem(b []byte, it gjson.Result, f *[itemKeyCount]gjson.Result, dd *doc, detail gjson.Result,
	setID string, c *Context, s *itemScratch) []byte {
	setOwned := true // setID is the caller's, not a view of the body
	if f[iSet].Type == gjson.String {
		setID, setOwned = f[iSet].Str, false
	}
	s.learn(resultString(f[iID]), setID, setOwned)
	w := openObj(b)
	w.str("object", "evaluation_set_item")
	w.reqStr("id", f[iID])
	w.str("evaluationSetId", setID)
	w.reqStr("fileId", d.pathVia(it, f[iFile], pathFileID))
	eo, ed := f[iExpected], d
	if !eo.Exists() && dd != nil {
		eo, ed = detail, dd
	}
	if eo.IsObject() {
		w.key("expectedOutput")
		w.b = ed.appendLegacyProvided(w.b, eo, c)
	} else {
		c.Report.unmapped("evaluationSetItems.#.expectedOutput")
	}
	return w.close()
}

// appendLegacyProvided is NPO→PO (S§5.0.4, response direction): a split
// output gets the split ids legacy requires (their index, synthesized), an
// extract output {value: value ?? {}}, a classify output passes through.
func (d *doc) appendLegacyProvided(b []byte, out gjson.Result, c *Context) []byte {
	var f [4]gjson.Result
	d.pick(out, providedKeys, f[:])
	switch {
	case f[0].IsArray():
		w := openObj(b)
		w.key("splits")
		i := -1
		w.b = d.appendArray(w.b, f[0], func(b []byte, s gjson.Result) ([]byte, bool) {
			i++
			if !s.IsObject() {
				return b, false
			}
			sw := openObj(b)
			sw.str("id", itoa(i))
			c.Report.synthesized("expectedOutput.splits.#.id")
			d.each(s, func(k string, v gjson.Result) bool {
				if k != "id" && v.Type != gjson.Null {
					sw.key(k)
					sw.b = d.appendNoNulls(sw.b, v)
				}
				return true
			})
			return sw.close(), true
		})
		return w.close()
	case f[1].Type == gjson.String && f[2].Type == gjson.String:
		return d.appendNoNulls(b, out)
	}
	w := openObj(b)
	w.key("value")
	w.b = d.appendNoNullsOr(w.b, f[3], "{}")
	return w.close()
}

// evalItemCreatedResponse answers a single create with the first item.
func evalItemCreatedResponse(c *Context, m Message) (Message, error) {
	return evalItemsResponse(c, m, true)
}

// evalItemsCreatedResponse answers createBatch with every item.
func evalItemsCreatedResponse(c *Context, m Message) (Message, error) {
	return evalItemsResponse(c, m, false)
}

func evalItemsResponse(c *Context, m Message, one bool) (Message, error) {
	s := getItemScratch()
	defer s.release()
	setID := c.Vars["evaluationSetId"]
	out, err := surfaceAnswer(c, m, func(b []byte, d *doc, root gjson.Result) ([]byte, error) {
		items := d.get(root, "evaluationSetItems")
		first := d.get(items, "0")
		if !items.IsArray() || !first.Exists() {
			return nil, fmt.Errorf("%w: no evaluationSetItems in the answer", ErrInvalidResponse)
		}
		var f [itemKeyCount]gjson.Result
		w := openObj(b)
		w.raw("success", "true")
		if one {
			w.key("evaluationSetItem")
			d.pick(first, itemKeys, f[:])
			w.b = d.appendLegacyEvaluationItem(w.b, first, &f, nil, gjson.Result{}, setID, c, s)
			return w.close(), nil
		}
		w.key("evaluationSetItems")
		w.b = d.appendArray(w.b, items, func(b []byte, it gjson.Result) ([]byte, bool) {
			d.pick(it, itemKeys, f[:])
			// A non-object item is still read (its Report entry stays), then left out.
			return d.appendLegacyEvaluationItem(b, it, &f, nil, gjson.Result{}, setID, c, s), it.IsObject()
		})
		return w.close(), nil
	})
	s.flush(c)
	return out, err
}

// evalItemResponse answers update with the updated item.
func evalItemResponse(c *Context, m Message) (Message, error) {
	s := getItemScratch()
	defer s.release()
	out, err := surfaceAnswer(c, m, func(b []byte, d *doc, it gjson.Result) ([]byte, error) {
		var f [itemKeyCount]gjson.Result
		d.pick(it, itemKeys, f[:])
		w := openObj(b)
		w.raw("success", "true")
		w.key("evaluationSetItem")
		w.b = d.appendLegacyEvaluationItem(w.b, it, &f, nil, gjson.Result{}, c.Vars["evaluationSetId"], c, s)
		return w.close(), nil
	})
	s.flush(c)
	return out, err
}

// evalItemListResponse answers the item list. Bodies[0] is the list of
// summaries; Bodies[1:], when the proxy fetched them (D6), are the full
// items in the same order, which carry expectedOutput.
func evalItemListResponse(c *Context, m Message) (Message, error) {
	if len(m.Bodies) == 0 {
		return Message{}, errOneBody
	}
	d, root, err := parseResponse(m.Bodies[0])
	if err != nil {
		return Message{}, err
	}
	defer d.free()
	var top [2]gjson.Result
	d.pick(root, listKeys, top[:])
	if !top[0].IsArray() {
		return Message{}, fmt.Errorf("%w: list data is missing or not an array", ErrInvalidResponse)
	}
	s := getItemScratch()
	defer s.release()
	s.readDetails(m.Bodies)
	setID := c.Vars["id"]
	sb := getBuf()
	n := 0
	for _, body := range m.Bodies {
		n += len(body)
	}
	w := openObj(growFor(sb.b, n))
	w.raw("success", "true")
	w.key("evaluationSetItems")
	w.b = d.appendArray(w.b, top[0], func(b []byte, it gjson.Result) ([]byte, bool) {
		if !it.IsObject() {
			return b, false
		}
		var f [itemKeyCount]gjson.Result
		d.pick(it, itemKeys, f[:])
		id := resultString(f[iID])
		if s.gone[id] {
			c.Report.unmapped("evaluationSetItems.#")
			return b, false
		}
		ref := s.details[id]
		return d.appendLegacyEvaluationItem(b, it, &f, ref.d, ref.expected, setID, c, s), true
	})
	w.optStr("nextPageToken", top[1])
	sb.b = w.close()
	out, _ := answer(c, sb, nil)
	s.flush(c)
	return One(out), nil
}
