package translate

import (
	"fmt"

	"github.com/tidwall/gjson"
)

// Evaluation sets and items (S§8): processorId became entity, items
// moved under /evaluation_sets/{id}/items, item lists lost expectedOutput.

const evaluationItemDeletedMessage = "Evaluation set item has been successfully deleted."

var (
	evalSetCreateKeys  = []string{"name", "description", "processorId"}
	evalItemCreateKeys = []string{"evaluationSetId", "fileId", "expectedOutput"}
	evalItemBatchKeys  = []string{"evaluationSetId", "items"}
	evalItemKeys       = []string{"fileId", "expectedOutput"}
	evalItemUpdateKeys = []string{"expectedOutput"}
)

// appendLegacyEvaluationSet is ES→LES: processorId from entity.id.
func appendLegacyEvaluationSet(b []byte, es gjson.Result) []byte {
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

// appendLegacyEvaluationItem is ESI→LESI. setID fills evaluationSetId when
// the item (a list summary) does not carry it; detail, when it exists, is
// the full item whose expectedOutput a summary lacks.
func appendLegacyEvaluationItem(b []byte, it, detail gjson.Result, setID string, c *Context) []byte {
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
		w.b = appendLegacyProvided(w.b, eo, c)
	} else {
		c.Report.unmapped("evaluationSetItems.#.expectedOutput")
	}
	return w.close()
}

// appendLegacyProvided is NPO→PO (S§5.0.4, response direction): a split
// output gets the split ids legacy requires (their index, synthesized), an
// extract output {value: value ?? {}}, a classify output passes through.
func appendLegacyProvided(b []byte, out gjson.Result, c *Context) []byte {
	switch {
	case out.Get("splits").IsArray():
		w := openObj(b)
		w.key("splits")
		i := -1
		w.b = appendArray(w.b, out.Get("splits"), func(b []byte, s gjson.Result) ([]byte, bool) {
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
					sw.b = appendNoNulls(sw.b, v)
				}
				return true
			})
			return sw.close(), true
		})
		return w.close()
	case out.Get("id").Type == gjson.String && out.Get("type").Type == gjson.String:
		return appendNoNulls(b, out)
	}
	w := openObj(b)
	w.key("value")
	w.b = appendNoNullsOr(w.b, out.Get("value"), "{}")
	return w.close()
}

// learn records that item id belongs to set setID, for the proxy's cache.
func (c *Context) learn(id, setID string) {
	if id == "" || setID == "" {
		return
	}
	if c.Parents == nil {
		c.Parents = map[string]string{}
	}
	c.Parents[id] = setID
}

// evalSetListRequest renames the processorId query parameter to entityId.
func evalSetListRequest(_ *Context, m Message) (Message, error) {
	q := listQuery(m.Query)
	if v, ok := q["processorId"]; ok {
		delete(q, "processorId")
		q["entityId"] = v
	}
	return Message{Bodies: m.Bodies, Query: q}, nil
}

// evalSetCreateRequest renames processorId to entityId in the body.
func evalSetCreateRequest(c *Context, m Message) (Message, error) {
	root, err := requestRoot(m, evalSetCreateKeys, c)
	if err != nil {
		return Message{}, err
	}
	if err := checkKinds(root, "", evalSetCreateKeys, []kind{kString, kString, kString}); err != nil {
		return Message{}, err
	}
	for _, k := range []string{"name", "processorId"} {
		if v := root.Get(k); v.Type != gjson.String || v.Str == "" {
			return Message{}, reqErr(k, "is required")
		}
	}
	w := openObj(nil)
	w.raw("name", root.Get("name").Raw)
	w.optStr("description", root.Get("description"))
	w.raw("entityId", root.Get("processorId").Raw)
	return One(w.close()), nil
}

// evalItemCreateRequest sends one item to POST /evaluation_sets/{evaluationSetId}/items.
func evalItemCreateRequest(c *Context, m Message) (Message, error) {
	root, err := requestRoot(m, evalItemCreateKeys, c)
	if err != nil {
		return Message{}, err
	}
	setID := root.Get("evaluationSetId")
	if setID.Type != gjson.String || setID.Str == "" {
		return Message{}, reqErr("evaluationSetId", "is required")
	}
	item, err := newEvalItem(root, "", c)
	if err != nil {
		return Message{}, err
	}
	body := append(append([]byte(`{"items":[`), item...), "]}"...)
	return Message{Bodies: [][]byte{body}, Vars: map[string]string{"evaluationSetId": setID.Str}}, nil
}

// evalItemBatchRequest sends the items to POST /evaluation_sets/{evaluationSetId}/items.
func evalItemBatchRequest(c *Context, m Message) (Message, error) {
	root, err := requestRoot(m, evalItemBatchKeys, c)
	if err != nil {
		return Message{}, err
	}
	setID := root.Get("evaluationSetId")
	if setID.Type != gjson.String || setID.Str == "" {
		return Message{}, reqErr("evaluationSetId", "is required")
	}
	items := root.Get("items")
	if !items.IsArray() || len(items.Array()) == 0 {
		return Message{}, reqErr("items", "is required and must be a non-empty array")
	}
	b := []byte(`{"items":[`)
	for i, it := range items.Array() {
		if !it.IsObject() {
			return Message{}, reqErr(index("items", i), "must be an object")
		}
		if err := checkUnknown(it, index("items", i), evalItemKeys, c.Options, c.Report); err != nil {
			return Message{}, err
		}
		item, err := newEvalItem(it, index("items", i), c)
		if err != nil {
			return Message{}, err
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, item...)
	}
	return Message{Bodies: [][]byte{append(b, "]}"...)}, Vars: map[string]string{"evaluationSetId": setID.Str}}, nil
}

// newEvalItem writes {fileId, expectedOutput: PO→NPO}.
func newEvalItem(it gjson.Result, at string, c *Context) ([]byte, error) {
	fileID := it.Get("fileId")
	if fileID.Type != gjson.String || fileID.Str == "" {
		return nil, reqErr(join(at, "fileId"), "is required and must be a string")
	}
	eo, err := providedOutput(it.Get("expectedOutput"), join(at, "expectedOutput"), c.Report)
	if err != nil {
		return nil, err
	}
	w := openObj(nil)
	w.raw("fileId", fileID.Raw)
	w.rawb("expectedOutput", eo)
	return w.close(), nil
}

// evalItemUpdateRequest converts the expected output (PO→NPO).
func evalItemUpdateRequest(c *Context, m Message) (Message, error) {
	root, err := requestRoot(m, evalItemUpdateKeys, c)
	if err != nil {
		return Message{}, err
	}
	eo, err := providedOutput(root.Get("expectedOutput"), "expectedOutput", c.Report)
	if err != nil {
		return Message{}, err
	}
	return One(append(append([]byte(`{"expectedOutput":`), eo...), '}')), nil
}

// requestRoot parses a request body and checks its keys.
func requestRoot(m Message, known []string, c *Context) (gjson.Result, error) {
	body, err := single(m)
	if err != nil {
		return gjson.Result{}, err
	}
	root, err := parseRequest(body)
	if err != nil {
		return gjson.Result{}, err
	}
	return root, checkUnknown(root, "", known, c.Options, c.Report)
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
	_, root, err := bodyOf(m)
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
		w.b = appendLegacyEvaluationItem(w.b, items.Array()[0], gjson.Result{}, c.Vars["evaluationSetId"], c)
		return One(w.close()), nil
	}
	w.key("evaluationSetItems")
	w.b = appendArray(w.b, items, func(b []byte, it gjson.Result) ([]byte, bool) {
		return appendLegacyEvaluationItem(b, it, gjson.Result{}, c.Vars["evaluationSetId"], c), it.IsObject()
	})
	return One(w.close()), nil
}

// evalItemResponse answers update with the updated item.
func evalItemResponse(c *Context, m Message) (Message, error) {
	_, it, err := bodyOf(m)
	if err != nil {
		return Message{}, err
	}
	w := openObj(nil)
	w.raw("success", "true")
	w.key("evaluationSetItem")
	w.b = appendLegacyEvaluationItem(w.b, it, gjson.Result{}, c.Vars["evaluationSetId"], c)
	return One(w.close()), nil
}

// evalItemListResponse answers the item list. Bodies[0] is the list of
// summaries; Bodies[1:], when the proxy fetched them (D6), are the full
// items in the same order, which carry expectedOutput.
func evalItemListResponse(c *Context, m Message) (Message, error) {
	if len(m.Bodies) == 0 {
		return Message{}, errOneBody
	}
	root, err := parseBody(m.Bodies[0])
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
			gone[ids[j]] = true // deleted since the list was read
			continue
		}
		if r, err := parseBody(d); err == nil {
			details[r.Get("id").String()] = r
		}
	}
	setID := c.Vars["id"]
	w := openObj(nil)
	w.raw("success", "true")
	w.key("evaluationSetItems")
	w.b = appendArray(w.b, data, func(b []byte, it gjson.Result) ([]byte, bool) {
		if !it.IsObject() {
			return b, false
		}
		if gone[it.Get("id").String()] {
			c.Report.unmapped("evaluationSetItems.#")
			return b, false
		}
		return appendLegacyEvaluationItem(b, it, details[it.Get("id").String()], setID, c), true
	})
	w.optStr("nextPageToken", root.Get("nextPageToken"))
	return One(w.close()), nil
}

// evaluationItemIDs lists the item ids of a 2026-02-09 item list, the ones
// whose details the proxy fetches (D6).
func evaluationItemIDs(list []byte) []string {
	var ids []string
	gjson.GetBytes(list, "data.#.id").ForEach(func(_, v gjson.Result) bool {
		ids = append(ids, v.String())
		return true
	})
	return ids
}
