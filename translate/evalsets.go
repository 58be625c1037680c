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
	d, root, err := requestDoc(m, evalSetCreateKeys, c)
	if err != nil {
		return Message{}, err
	}
	defer d.free()
	var f [3]gjson.Result // name, description, processorId
	d.pick(root, evalSetCreateKeys, f[:])
	for i, key := range evalSetCreateKeys {
		if err := kindAt(&f[i], nil, key, kString); err != nil {
			return Message{}, err
		}
	}
	for _, i := range []int{0, 2} {
		if f[i].Type != gjson.String || f[i].Str == "" {
			return Message{}, reqErr(evalSetCreateKeys[i], "is required")
		}
	}
	w := openObj(nil)
	w.raw("name", f[0].Raw)
	w.optStr("description", f[1])
	w.raw("entityId", f[2].Raw)
	return One(w.close()), nil
}

// evalItemCreateRequest sends one item to POST /evaluation_sets/{evaluationSetId}/items.
func evalItemCreateRequest(c *Context, m Message) (Message, error) {
	d, root, err := requestDoc(m, evalItemCreateKeys, c)
	if err != nil {
		return Message{}, err
	}
	defer d.free()
	setID := d.get(root, "evaluationSetId")
	if setID.Type != gjson.String || setID.Str == "" {
		return Message{}, reqErr("evaluationSetId", "is required")
	}
	b, err := d.appendEvalItem([]byte(`{"items":[`), root, nil, c)
	if err != nil {
		return Message{}, err
	}
	return Message{Bodies: [][]byte{append(b, "]}"...)}, Vars: map[string]string{"evaluationSetId": setID.Str}}, nil
}

// evalItemBatchRequest sends the items to POST /evaluation_sets/{evaluationSetId}/items.
func evalItemBatchRequest(c *Context, m Message) (Message, error) {
	d, root, err := requestDoc(m, evalItemBatchKeys, c)
	if err != nil {
		return Message{}, err
	}
	defer d.free()
	var f [2]gjson.Result // evaluationSetId, items
	d.pick(root, evalItemBatchKeys, f[:])
	setID, items := f[0], f[1]
	if setID.Type != gjson.String || setID.Str == "" {
		return Message{}, reqErr("evaluationSetId", "is required")
	}
	if _, _, some := d.first(items); !items.IsArray() || !some {
		return Message{}, reqErr("items", "is required and must be a non-empty array")
	}
	b := []byte(`{"items":[`)
	ip, i := reqPath{key: "items", idx: -1}, 0
	d.each(items, func(_ string, it gjson.Result) bool {
		at := ip.elem(i)
		if !it.IsObject() {
			err = errAt(&at, "must be an object")
			return false
		}
		var known [2]gjson.Result
		if err = d.fields(it, &at, evalItemKeys, known[:], &c.Options, c.Report); err != nil {
			return false
		}
		if i > 0 {
			b = append(b, ',')
		}
		b, err = d.appendEvalItem(b, it, &at, c)
		i++
		return err == nil
	})
	if err != nil {
		return Message{}, err
	}
	return Message{Bodies: [][]byte{append(b, "]}"...)}, Vars: map[string]string{"evaluationSetId": setID.Str}}, nil
}

// appendEvalItem writes {fileId, expectedOutput: PO→NPO} for the item at p.
func (d *doc) appendEvalItem(b []byte, it gjson.Result, p *reqPath, c *Context) ([]byte, error) {
	var f [2]gjson.Result // fileId, expectedOutput
	d.pick(it, evalItemKeys, f[:])
	if f[0].Type != gjson.String || f[0].Str == "" {
		at := p.member("fileId")
		return nil, errAt(&at, "is required and must be a string")
	}
	w := openObj(b)
	w.raw("fileId", f[0].Raw)
	w.key("expectedOutput")
	at := p.member("expectedOutput")
	var err error
	if w.b, err = d.appendProvided(w.b, f[1], &at, c.Report); err != nil {
		return nil, err
	}
	return w.close(), nil
}

// evalItemUpdateRequest converts the expected output (PO→NPO).
func evalItemUpdateRequest(c *Context, m Message) (Message, error) {
	d, root, err := requestDoc(m, evalItemUpdateKeys, c)
	if err != nil {
		return Message{}, err
	}
	defer d.free()
	at := reqPath{key: "expectedOutput", idx: -1}
	b, err := d.appendProvided([]byte(`{"expectedOutput":`), d.get(root, "expectedOutput"), &at, c.Report)
	if err != nil {
		return Message{}, err
	}
	return One(append(b, '}')), nil
}

// requestDoc validates and indexes a request body and checks its keys; the
// caller frees the doc.
func requestDoc(m Message, known []string, c *Context) (*doc, gjson.Result, error) {
	body, err := single(m)
	if err != nil {
		return nil, gjson.Result{}, err
	}
	d, root, err := parseRequestDoc(body)
	if err != nil {
		return nil, gjson.Result{}, err
	}
	var scratch [4]gjson.Result // fields wants room for each known key; the members are read later
	if err := d.fields(root, nil, known, scratch[:len(known)], &c.Options, c.Report); err != nil {
		d.free()
		return nil, gjson.Result{}, err
	}
	return d, root, nil
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
