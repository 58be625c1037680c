package translate

import (
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
func (d *doc) appendLegacyEvaluationSet(b []byte, es gjson.Result) []byte {
	var f [6]gjson.Result
	d.pick(es, evalSetKeys, f[:])
	w := openObj(b)
	w.str("object", "evaluation_set")
	w.reqStr("id", f[0])
	w.reqStr("name", f[1])
	w.reqStr("description", f[2])
	w.reqStr("processorId", d.pathVia(es, f[5], pathEntityID))
	w.reqStr("createdAt", f[3])
	w.reqStr("updatedAt", f[4])
	return w.close()
}

var evalSetKeys = []string{"id", "name", "description", "createdAt", "updatedAt", "entity"}

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
