package sim

import (
	"encoding/json"
	"net/http"

	"github.com/tidwall/gjson"
)

// itemInput is one validated item of a create.
type itemInput struct {
	fileID   string
	expected gjson.Result
}

func parseItem(where string, v gjson.Result, typ string, legacy bool) (itemInput, *apiError) {
	if err := checkKeys(where, v, "fileId", "expectedOutput"); err != nil {
		return itemInput{}, err
	}
	id, err := reqString(v, "fileId", where)
	if err != nil {
		return itemInput{}, err
	}
	exp := field(v, "expectedOutput")
	return itemInput{id, exp}, checkExpected(where+".expectedOutput", exp, typ, legacy)
}

// addItems validates every item (files must exist) before storing any.
func (s *Sim) addItemsLocked(set *evalSet, items []itemInput, legacy bool) ([]*evalItem, *apiError) {
	files := make([]*storedFile, len(items))
	for i, in := range items {
		f, ok := s.fileLocked(in.fileID)
		if !ok {
			return nil, notFound("File %s not found.", in.fileID)
		}
		files[i] = f
	}
	now := s.opt.Now()
	out := make([]*evalItem, len(items))
	for i, in := range items {
		it := &evalItem{seq: s.st.nextSeq(), id: newID("evi_", 20), set: set, file: files[i],
			expected: json.RawMessage(in.expected.Raw), legacy: legacy, created: now}
		s.st.evalItems.add(it.id, it, s.opt.MaxRuns)
		out[i] = it
	}
	set.updated = now
	return out, nil
}

// createItems parses items for the set setID and stores them.
func (s *Sim) createItems(setID string, raw []gjson.Result, legacy bool) ([]*evalItem, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	set, err := s.evalSetLocked(setID)
	if err != nil {
		return nil, err
	}
	items := make([]itemInput, len(raw))
	for i, v := range raw {
		if items[i], err = parseItem("items["+itoa(i)+"]", v, set.entity.typ, legacy); err != nil {
			return nil, err
		}
	}
	return s.addItemsLocked(set, items, legacy)
}

func renderItems(items []*evalItem, legacy bool) []any {
	out := make([]any, 0, len(items))
	for _, it := range items {
		out = append(out, it.render(legacy, false))
	}
	return out
}

func (s *Sim) evalItemCreate(req *http.Request, body []byte) (int, []byte, *apiError) {
	root, err := parseObject(body)
	if err != nil {
		return 0, nil, err
	}
	if err := checkKeys("body", root, "items"); err != nil {
		return 0, nil, err
	}
	raw, err := itemsField(root)
	if err != nil {
		return 0, nil, err
	}
	items, err := s.createItems(pathID(req, "id"), raw, false)
	if err != nil {
		return 0, nil, err
	}
	return marshal(map[string]any{"evaluationSetItems": renderItems(items, false)})
}

func (s *Sim) legacyEvalItemCreate(_ *http.Request, body []byte) (int, []byte, *apiError) {
	root, err := parseObject(body)
	if err != nil {
		return 0, nil, err
	}
	if err := checkKeys("body", root, "evaluationSetId", "fileId", "expectedOutput"); err != nil {
		return 0, nil, err
	}
	setID, err := reqString(root, "evaluationSetId", "body")
	if err != nil {
		return 0, nil, err
	}
	one := gjson.Parse(`{"fileId":` + rawOrNull(field(root, "fileId")) + `,"expectedOutput":` + rawOrNull(field(root, "expectedOutput")) + `}`)
	items, err := s.createItems(setID, []gjson.Result{one}, true)
	if err != nil {
		return 0, nil, err
	}
	return marshal(map[string]any{"success": true, "evaluationSetItem": items[0].render(true, false)})
}

func rawOrNull(v gjson.Result) string {
	if !v.Exists() {
		return "null"
	}
	return v.Raw
}

func (s *Sim) legacyEvalItemBulk(_ *http.Request, body []byte) (int, []byte, *apiError) {
	root, err := parseObject(body)
	if err != nil {
		return 0, nil, err
	}
	if err := checkKeys("body", root, "evaluationSetId", "items"); err != nil {
		return 0, nil, err
	}
	setID, err := reqString(root, "evaluationSetId", "body")
	if err != nil {
		return 0, nil, err
	}
	raw, err := itemsField(root)
	if err != nil {
		return 0, nil, err
	}
	items, err := s.createItems(setID, raw, true)
	if err != nil {
		return 0, nil, err
	}
	return marshal(map[string]any{"success": true, "evaluationSetItems": renderItems(items, true)})
}

// itemInSetLocked finds item itemID of set setID (2026 paths name both).
func (s *Sim) itemInSetLocked(req *http.Request) (*evalItem, *apiError) {
	set, err := s.evalSetLocked(pathID(req, "id"))
	if err != nil {
		return nil, err
	}
	id := pathID(req, "itemId")
	it, ok := s.st.evalItems.get(id)
	if !ok || it.set != set {
		return nil, notFound("Evaluation set item %s not found in evaluation set %s.", id, set.id)
	}
	return it, nil
}

// legacyItemLocked finds an item by id alone (legacy paths carry no set id).
func (s *Sim) legacyItemLocked(req *http.Request) (*evalItem, *apiError) {
	id := pathID(req, "id")
	it, ok := s.st.evalItems.get(id)
	if !ok {
		return nil, notFound("Evaluation set item %s not found.", id)
	}
	return it, nil
}

func (s *Sim) evalItemGet(req *http.Request, _ []byte) (int, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, err := s.itemInSetLocked(req)
	if err != nil {
		return 0, nil, err
	}
	return marshal(it.render(false, false))
}

// updateItem parses {expectedOutput} and applies it to the item find returns.
func (s *Sim) updateItem(req *http.Request, body []byte, legacy bool, find func(*http.Request) (*evalItem, *apiError)) (*evalItem, *apiError) {
	root, err := parseObject(body)
	if err != nil {
		return nil, err
	}
	if err := checkKeys("body", root, "expectedOutput"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, err := find(req)
	if err != nil {
		return nil, err
	}
	exp := field(root, "expectedOutput")
	if err := checkExpected("expectedOutput", exp, it.set.entity.typ, legacy); err != nil {
		return nil, err
	}
	it.expected, it.legacy = json.RawMessage(exp.Raw), legacy
	it.set.updated = s.opt.Now()
	return it, nil
}

func (s *Sim) evalItemUpdate(req *http.Request, body []byte) (int, []byte, *apiError) {
	it, err := s.updateItem(req, body, false, s.itemInSetLocked)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return marshal(it.render(false, false))
}

func (s *Sim) legacyEvalItemUpdate(req *http.Request, body []byte) (int, []byte, *apiError) {
	it, err := s.updateItem(req, body, true, s.legacyItemLocked)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return marshal(map[string]any{"success": true, "evaluationSetItem": it.render(true, false)})
}

func (s *Sim) deleteItem(req *http.Request, find func(*http.Request) (*evalItem, *apiError)) (string, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, err := find(req)
	if err != nil {
		return "", err
	}
	s.st.evalItems.del(it.id)
	return it.id, nil
}

func (s *Sim) evalItemDelete(req *http.Request, _ []byte) (int, []byte, *apiError) {
	id, err := s.deleteItem(req, s.itemInSetLocked)
	if err != nil {
		return 0, nil, err
	}
	return marshal(idJSON{ID: id})
}

func (s *Sim) legacyEvalItemDelete(req *http.Request, _ []byte) (int, []byte, *apiError) {
	id, err := s.deleteItem(req, s.legacyItemLocked)
	if err != nil {
		return 0, nil, err
	}
	return marshal(map[string]any{"success": true, "evaluationSetItemId": id, "message": evalItemDeleteMessage})
}

// itemPage lists a set's items by creation (items have no updatedAt of their
// own, so both sort keys order by creation).
func (s *Sim) itemPage(req *http.Request, legacy bool) ([]any, string, *apiError) {
	q, err := parsePage(req.URL.Query(), []string{"createdAt", "updatedAt"}, pathID(req, "id"))
	if err != nil {
		return nil, "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	set, err := s.evalSetLocked(pathID(req, "id"))
	if err != nil {
		return nil, "", err
	}
	var match []*evalItem
	for _, it := range s.st.evalItems.all() {
		if it.set == set {
			match = append(match, it)
		}
	}
	page, next := pageOf(q, match, func(it *evalItem) (string, uint64) { return fmtTime(it.created), it.seq })
	out := make([]any, 0, len(page))
	for _, it := range page {
		out = append(out, it.render(legacy, true))
	}
	return out, next, nil
}

func (s *Sim) evalItemList(req *http.Request, _ []byte) (int, []byte, *apiError) {
	items, next, err := s.itemPage(req, false)
	if err != nil {
		return 0, nil, err
	}
	return marshal(listJSON{Object: "list", Data: items, NextPageToken: next})
}

func (s *Sim) legacyEvalItemList(req *http.Request, _ []byte) (int, []byte, *apiError) {
	items, next, err := s.itemPage(req, true)
	if err != nil {
		return 0, nil, err
	}
	return marshal(struct {
		Success       bool   `json:"success"`
		Items         []any  `json:"evaluationSetItems"`
		NextPageToken string `json:"nextPageToken,omitempty"`
	}{true, items, next})
}
