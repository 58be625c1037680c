package sim

import (
	"testing"

	"github.com/tidwall/gjson"
)

var (
	newSetKeys     = []string{"object", "id", "name", "description", "entity", "createdAt", "updatedAt", "createdBy"}
	legacySetKeys  = []string{"object", "id", "name", "description", "processorId", "createdAt", "updatedAt"}
	newItemKeys    = []string{"object", "id", "evaluationSetId", "file", "expectedOutput", "createdBy"}
	summaryItem    = []string{"object", "id", "file", "createdBy"}
	legacyItemKeys = []string{"object", "id", "evaluationSetId", "fileId", "expectedOutput"}
)

func TestEvaluationSetsBothVersions(t *testing.T) {
	e := newEnv(t, Options{})
	n := e.do("POST", "/evaluation_sets", `{"name":"Invoices","entityId":"`+ExtractorID+`"}`).mustStatus(t, 200).json
	exactKeys(t, "create", n, newSetKeys, nil)
	exactKeys(t, "entity", n.Get("entity"), []string{"object", "id", "name", "createdAt", "updatedAt"}, nil)
	l := e.legacy("POST", "/evaluation_sets", `{"name":"Types","description":"doc types","processorId":"`+LegacyClassifierID+`"}`).mustStatus(t, 200).json
	exactKeys(t, "legacy create", l, []string{"success", "evaluationSet"}, nil)
	exactKeys(t, "legacy set", l.Get("evaluationSet"), legacySetKeys, nil)
	if n.Get("entity.object").String() != "extractor" || n.Get("description").String() != "" || l.Get("evaluationSet.processorId").String() != ClassifierID {
		t.Errorf("sets: %s / %s", n.Raw, l.Raw)
	}
	g := e.do("GET", "/evaluation_sets/"+l.Get("evaluationSet.id").String(), "").mustStatus(t, 200).json
	if g.Get("entity.object").String() != "classifier" || g.Get("name").String() != "Types" {
		t.Errorf("2026 get of a legacy set: %s", g.Raw)
	}
	lg := e.legacy("GET", "/evaluation_sets/"+n.Get("id").String(), "").mustStatus(t, 200).json
	if lg.Get("evaluationSet.processorId").String() != ExtractorID {
		t.Errorf("legacy get: %s", lg.Raw)
	}
	ll := e.legacy("GET", "/evaluation_sets?processorId="+ExtractorID, "").mustStatus(t, 200).json
	nl := e.do("GET", "/evaluation_sets?maxPageSize=1", "").mustStatus(t, 200).json
	if ll.Get("evaluationSets.#").Int() != 1 || nl.Get("object").String() != "list" || nl.Get("data.#").Int() != 1 || nl.Get("nextPageToken").String() == "" {
		t.Errorf("lists: %s / %s", ll.Raw, nl.Raw)
	}
	for _, b := range []string{`{}`, `{"name":"x"}`, `{"name":"x","processorId":"` + ExtractorID + `"}`, `{"name":1,"entityId":"x"}`} {
		assertAPIError(t, e.do("POST", "/evaluation_sets", b), 400, codeInvalid)
	}
	assertLegacyError(t, e.legacy("POST", "/evaluation_sets", `{"name":"x","processorId":"`+ExtractorID+`"}`), 400) // description is required in legacy
	assertAPIError(t, e.do("POST", "/evaluation_sets", `{"name":"x","entityId":"ex_missing"}`), 404, codeNotFound)
	assertLegacyError(t, e.legacy("GET", "/evaluation_sets/evs_missing", ""), 404)
}

func TestEvaluationItemsBothVersions(t *testing.T) {
	e := newEnv(t, Options{})
	fid := e.uploadID("inv.pdf", "%PDF")
	ex := e.do("POST", "/evaluation_sets", `{"name":"E","entityId":"`+ExtractorID+`"}`).json.Get("id").String()
	sp := e.do("POST", "/evaluation_sets", `{"name":"S","entityId":"`+SplitterID+`"}`).json.Get("id").String()
	c := e.do("POST", "/evaluation_sets/"+ex+"/items", `{"items":[{"fileId":"`+fid+`","expectedOutput":{"value":{"invoice_number":"INV-1"}}},{"fileId":"`+fid+`","expectedOutput":{}}]}`).mustStatus(t, 200).json
	exactKeys(t, "create", c, []string{"evaluationSetItems"}, nil)
	for _, it := range c.Get("evaluationSetItems").Array() {
		exactKeys(t, "item", it, newItemKeys, nil)
	}
	lc := e.legacy("POST", "/evaluation_set_items", `{"evaluationSetId":"`+sp+`","fileId":"`+fid+`","expectedOutput":{"splits":[{"id":"s1","classificationId":"invoice","type":"invoice","observation":"seen","startPage":1,"endPage":2}]}}`).mustStatus(t, 200).json
	exactKeys(t, "legacy create", lc, []string{"success", "evaluationSetItem"}, nil)
	exactKeys(t, "legacy item", lc.Get("evaluationSetItem"), legacyItemKeys, nil)
	spItem := lc.Get("evaluationSetItem.id").String()
	// each version shows the expected output in its own shape
	ng := e.do("GET", "/evaluation_sets/"+sp+"/items/"+spItem, "").mustStatus(t, 200).json
	if ng.Get("expectedOutput.splits.0.id").Exists() || ng.Get("expectedOutput.splits.0.observation").Exists() || ng.Get("file.id").String() != fid {
		t.Errorf("2026 view of a legacy item: %s", ng.Raw)
	}
	emptyItem := c.Get("evaluationSetItems.1.id").String()
	ll := e.legacy("GET", "/evaluation_sets/"+ex+"/items", "").mustStatus(t, 200).json
	exactKeys(t, "legacy list", ll, []string{"success", "evaluationSetItems"}, []string{"nextPageToken"})
	if ll.Get("evaluationSetItems.#").Int() != 2 || ll.Get(`evaluationSetItems.#(id=="`+emptyItem+`").expectedOutput`).Raw != `{"value":{}}` {
		t.Errorf("legacy list: %s", ll.Raw)
	}
	nl := e.do("GET", "/evaluation_sets/"+ex+"/items?maxPageSize=1", "").mustStatus(t, 200).json
	exactKeys(t, "list", nl, []string{"object", "data", "nextPageToken"}, nil)
	exactKeys(t, "summary", nl.Get("data.0"), summaryItem, nil)
	bulk := e.legacy("POST", "/evaluation_set_items/bulk", `{"evaluationSetId":"`+sp+`","items":[{"fileId":"`+fid+`","expectedOutput":{"splits":[]}}]}`).mustStatus(t, 200).json
	exactKeys(t, "bulk", bulk, []string{"success", "evaluationSetItems"}, nil)
	// update through 2026 with a 2026 split: legacy synthesizes the split ids
	e.do("POST", "/evaluation_sets/"+sp+"/items/"+spItem, `{"expectedOutput":{"splits":[{"classificationId":"invoice","type":"invoice","startPage":1,"endPage":3}]}}`).mustStatus(t, 200)
	lu := e.legacy("POST", "/evaluation_set_items/"+spItem, `{"expectedOutput":{"splits":[{"id":"x","classificationId":"other","type":"other","startPage":1,"endPage":1}]}}`).mustStatus(t, 200).json
	if lu.Get("evaluationSetItem.expectedOutput.splits.0.id").String() != "x" {
		t.Errorf("legacy update: %s", lu.Raw)
	}
	e.do("POST", "/evaluation_sets/"+sp+"/items/"+spItem, `{"expectedOutput":{"splits":[{"classificationId":"invoice","type":"invoice","startPage":1,"endPage":3}]}}`).mustStatus(t, 200)
	lv := e.legacy("GET", "/evaluation_sets/"+sp+"/items", "").json
	if lv.Get(`evaluationSetItems.#(id=="`+spItem+`").expectedOutput.splits.0.id`).String() != "0" {
		t.Errorf("synthesized split id: %s", lv.Raw)
	}
	assertAPIError(t, e.do("GET", "/evaluation_sets/"+ex+"/items/"+spItem, ""), 404, codeNotFound) // item of another set
	ld := e.legacy("DELETE", "/evaluation_set_items/"+spItem, "").mustStatus(t, 200).json
	exactKeys(t, "legacy delete", ld, []string{"success", "evaluationSetItemId", "message"}, nil)
	assertLegacyError(t, e.legacy("DELETE", "/evaluation_set_items/"+spItem, ""), 404)
	exactKeys(t, "delete", e.do("DELETE", "/evaluation_sets/"+ex+"/items/"+emptyItem, "").mustStatus(t, 200).json, []string{"id"}, nil)
	assertAPIError(t, e.do("DELETE", "/evaluation_sets/"+ex+"/items/"+emptyItem, ""), 404, codeNotFound)
}

func TestEvaluationItemValidation(t *testing.T) {
	e := newEnv(t, Options{})
	fid := e.uploadID("inv.pdf", "%PDF")
	cl := e.do("POST", "/evaluation_sets", `{"name":"C","entityId":"`+ClassifierID+`"}`).json.Get("id").String()
	ex := e.do("POST", "/evaluation_sets", `{"name":"E","entityId":"`+ExtractorID+`"}`).json.Get("id").String()
	bad := []string{
		`{}`, `{"items":[]}`, `{"items":[{"fileId":"` + fid + `"}]}`, `{"items":[{"fileId":"` + fid + `","expectedOutput":{"id":"a"}}]}`,
		`{"items":[{"fileId":"` + fid + `","expectedOutput":{"id":"a","type":"b","confidence":0.5}}]}`, // confidence is legacy only
		`{"items":[{"fileId":"` + fid + `","expectedOutput":{"id":"a","type":"b"}}],"extra":1}`,
	}
	for _, b := range bad {
		assertAPIError(t, e.do("POST", "/evaluation_sets/"+cl+"/items", b), 400, codeInvalid)
	}
	e.legacy("POST", "/evaluation_set_items", `{"evaluationSetId":"`+cl+`","fileId":"`+fid+`","expectedOutput":{"id":"a","type":"b","confidence":0.5}}`).mustStatus(t, 200)
	// a legacy fields-array output is accepted by 2025-04-21 and shown as {value} in 2026
	fa := e.legacy("POST", "/evaluation_set_items", `{"evaluationSetId":"`+ex+`","fileId":"`+fid+`","expectedOutput":{"total":{"id":"total","value":12.5,"type":"number"}}}`).mustStatus(t, 200).json
	g := e.do("GET", "/evaluation_sets/"+ex+"/items/"+fa.Get("evaluationSetItem.id").String(), "").mustStatus(t, 200).json
	if g.Get("expectedOutput").Raw != `{"value":{"total":12.5}}` {
		t.Errorf("fields-array in 2026: %s", g.Get("expectedOutput").Raw)
	}
	assertAPIError(t, e.do("POST", "/evaluation_sets/"+ex+"/items", `{"items":[{"fileId":"`+fid+`","expectedOutput":{"total":{"id":"total"}}}]}`), 400, codeInvalid)
	assertAPIError(t, e.do("POST", "/evaluation_sets/"+ex+"/items", `{"items":[{"fileId":"file_missing","expectedOutput":{}}]}`), 404, codeNotFound)
	assertAPIError(t, e.do("POST", "/evaluation_sets/evs_missing/items", `{"items":[{"fileId":"`+fid+`","expectedOutput":{}}]}`), 404, codeNotFound)
	assertLegacyError(t, e.legacy("POST", "/evaluation_set_items/bulk", `{"evaluationSetId":"`+ex+`","items":[{"fileId":"`+fid+`","expectedOutput":{}},{"fileId":"file_missing","expectedOutput":{}}]}`), 404)
	assertLegacyError(t, e.legacy("POST", "/evaluation_set_items/evi_missing", `{"expectedOutput":{}}`), 404)
	assertLegacyError(t, e.legacy("POST", "/evaluation_set_items", `{"evaluationSetId":"`+ex+`","fileId":"`+fid+`"}`), 400)
	assertLegacyError(t, e.legacy("POST", "/evaluation_set_items", `{"evaluationSetId":"`+ex+`","expectedOutput":{"value":{}}}`), 400)
	assertLegacyError(t, e.legacy("POST", "/evaluation_set_items", `{"evaluationSetId":"`+ex+`","fileId":7,"expectedOutput":{"value":{}}}`), 400)
	if n := len(e.sim.st.evalItems.all()); n != 2 {
		t.Errorf("%d items stored, want the 2 good ones (a bulk create is all or nothing)", n)
	}
}

func TestWorkflowCreateBothVersions(t *testing.T) {
	e := newEnv(t, Options{})
	n := e.do("POST", "/workflows", `{"name":"Intake","steps":[{"name":"Trigger","type":"TRIGGER","next":[{"step":"Parse"}]},{"name":"Parse","type":"PARSE"}]}`).mustStatus(t, 200).json
	exactKeys(t, "workflow", n, []string{"object", "id", "name", "createdAt", "updatedAt", "draftVersion", "createdBy"}, nil)
	exactKeys(t, "draftVersion", n.Get("draftVersion"), []string{"object", "id", "version", "name", "steps", "createdAt", "createdBy"}, nil)
	if n.Get("draftVersion.version").String() != "draft" || n.Get("draftVersion.steps.#").Int() != 2 || n.Get("draftVersion.name").Type != gjson.Null {
		t.Errorf("workflow: %s", n.Raw)
	}
	l := e.legacy("POST", "/workflows", `{"name":"Legacy intake"}`).mustStatus(t, 200).json
	exactKeys(t, "legacy", l, []string{"success", "workflow"}, nil)
	exactKeys(t, "legacy workflow", l.Get("workflow"), []string{"object", "id", "version", "name"}, nil)
	if l.Get("workflow.version").String() != "draft" || l.Get("workflow.name").String() != "Legacy intake" {
		t.Errorf("legacy workflow: %s", l.Raw)
	}
	// a created workflow takes runs at once
	e.create(l.Get("workflow.id").String(), "https://f.example.org/a.pdf")
	for _, b := range []string{`{}`, `{"name":""}`, `{"name":"x","steps":{}}`, `{"name":"x","steps":[{"name":"a","type":"OCR"}]}`} {
		assertAPIError(t, e.do("POST", "/workflows", b), 400, codeInvalid)
	}
	assertLegacyError(t, e.legacy("POST", "/workflows", `{"name":"x","steps":[]}`), 400)
	if n := len(e.sim.st.workflows.all()); n != 2 {
		t.Errorf("%d workflows", n)
	}
}
