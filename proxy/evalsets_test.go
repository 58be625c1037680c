package proxy

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// evalUpstream holds sets ev_set_0..n-1 and their items, with 2026-02-09 shapes.
type evalUpstream struct {
	mu    sync.Mutex
	items map[string][]string // set → item ids
	calls []string
	next  int
}

func (u *evalUpstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	u.mu.Lock()
	defer u.mu.Unlock()
	u.calls = append(u.calls, r.Method+" "+r.URL.Path)
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	item := func(set, id string) string {
		return fmt.Sprintf(`{"object":"evaluation_set_item","id":%q,"evaluationSetId":%q,"file":{"id":"file_%s"},`+
			`"expectedOutput":{"value":{"n":1}},"createdBy":null}`, id, set, id)
	}
	switch {
	case r.Method == "GET" && len(parts) == 1: // sets, one per page
		sets := make([]string, 0, len(u.items))
		for i := 0; i < len(u.items); i++ {
			sets = append(sets, fmt.Sprintf("ev_set_%d", i))
		}
		start := 0
		fmt.Sscanf(r.URL.Query().Get("nextPageToken"), "p%d", &start)
		next := ""
		if start+1 < len(sets) {
			next = fmt.Sprintf(`,"nextPageToken":"p%d"`, start+1)
		}
		jsonReply(w, 200, fmt.Sprintf(`{"object":"list","data":[{"id":%q}]%s}`, sets[start], next))
	case r.Method == "GET" && len(parts) == 3: // items of a set (summaries)
		var data []string
		for _, id := range u.items[parts[1]] {
			data = append(data, fmt.Sprintf(`{"object":"evaluation_set_item","id":%q,"file":{"id":"file_%s"},"createdBy":null}`, id, id))
		}
		jsonReply(w, 200, `{"object":"list","data":[`+strings.Join(data, ",")+`],"nextPageToken":null}`)
	case r.Method == "GET" && len(parts) == 4:
		jsonReply(w, 200, item(parts[1], parts[3]))
	case r.Method == "POST" && len(parts) == 3:
		u.next++
		id := fmt.Sprintf("ev_item_new%d", u.next)
		u.items[parts[1]] = append(u.items[parts[1]], id)
		jsonReply(w, 200, `{"evaluationSetItems":[`+item(parts[1], id)+`]}`)
	case r.Method == "POST" && len(parts) == 4:
		jsonReply(w, 200, item(parts[1], parts[3]))
	case r.Method == "DELETE" && len(parts) == 4:
		jsonReply(w, 200, fmt.Sprintf(`{"id":%q}`, parts[3]))
	default:
		jsonReply(w, 404, `{"code":"NOT_FOUND","message":"not found","retryable":false}`)
	}
}

func (u *evalUpstream) take() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	c := u.calls
	u.calls = nil
	return c
}

func newEvalUpstream(sets int) *evalUpstream {
	u := &evalUpstream{items: map[string][]string{}}
	for i := 0; i < sets; i++ {
		u.items[fmt.Sprintf("ev_set_%d", i)] = []string{fmt.Sprintf("ev_item_%d_a", i), fmt.Sprintf("ev_item_%d_b", i)}
	}
	return u
}

func TestEvaluationItemFindsItsSet(t *testing.T) {
	up := newEvalUpstream(5)
	e := newEnv(t, up)
	// A created item's set is known from the answer: update goes straight to it.
	res := e.legacy("POST", "/evaluation_set_items", `{"evaluationSetId":"ev_set_2","fileId":"file_x","expectedOutput":{"value":{"n":1}}}`)
	wantStatus(t, res, 200)
	id := res.get("evaluationSetItem.id").String()
	if res.get("evaluationSetItem.evaluationSetId").String() != "ev_set_2" || id == "" {
		t.Fatalf("create: %s", res.body)
	}
	up.take()
	wantStatus(t, e.legacy("POST", "/evaluation_set_items/"+id, `{"expectedOutput":{"id":"a","type":"a","confidence":0.5}}`), 200)
	if got := up.take(); len(got) != 1 || got[0] != "POST /evaluation_sets/ev_set_2/items/"+id {
		t.Errorf("update with a known set made %q", got)
	}
	// An item never seen: the sets are scanned until it is found, then it is cached.
	res = e.legacy("DELETE", "/evaluation_set_items/ev_item_3_b", "")
	wantStatus(t, res, 200)
	if res.get("evaluationSetItemId").String() != "ev_item_3_b" {
		t.Errorf("delete: %s", res.body)
	}
	got := up.take()
	if got[len(got)-1] != "DELETE /evaluation_sets/ev_set_3/items/ev_item_3_b" || len(got) > 9 {
		t.Errorf("scan made %d calls: %q", len(got), got)
	}
	wantStatus(t, e.legacy("DELETE", "/evaluation_set_items/ev_item_3_a", ""), 200)
	if got := up.take(); len(got) != 1 {
		t.Errorf("an item seen during the scan was not cached: %q", got)
	}
	// Unknown everywhere: a legacy 404 and nothing changed upstream.
	res = e.legacy("POST", "/evaluation_set_items/ev_item_nope", `{"expectedOutput":{"value":{}}}`)
	wantStatus(t, res, 404)
	for _, c := range up.take() {
		if !strings.HasPrefix(c, "GET ") {
			t.Errorf("a write reached the upstream for an unknown item: %s", c)
		}
	}
}

func TestEvaluationScanIsBounded(t *testing.T) {
	up := newEvalUpstream(10)
	e := newEnv(t, up, func(o *Options) { o.Translate.EvaluationScanLimit = 3 })
	wantStatus(t, e.legacy("DELETE", "/evaluation_set_items/ev_item_8_a", ""), 404)
	if got := up.take(); len(got) != 6 {
		t.Errorf("scan of 3 sets made %d calls: %q", len(got), got)
	}
}

func TestEvaluationItemListDetails(t *testing.T) {
	up := newEvalUpstream(2)
	e := newEnv(t, up)
	res := e.legacy("GET", "/evaluation_sets/ev_set_1/items", "")
	wantStatus(t, res, 200)
	if res.get("evaluationSetItems.#").Int() != 2 || res.get("evaluationSetItems.1.expectedOutput.value.n").Int() != 1 ||
		res.get("evaluationSetItems.0.evaluationSetId").String() != "ev_set_1" || res.get("evaluationSetItems.0.fileId").String() != "file_ev_item_1_a" {
		t.Errorf("list: %s", res.body)
	}
	if got := up.take(); len(got) != 3 {
		t.Errorf("list with details made %q, want the list and one read per item", got)
	}
	e = newEnv(t, up, func(o *Options) { o.Translate.NoEvaluationItemDetails = true })
	res = e.legacy("GET", "/evaluation_sets/ev_set_1/items", "")
	wantStatus(t, res, 200)
	if res.get("evaluationSetItems.0.expectedOutput").Exists() || len(up.take()) != 1 {
		t.Errorf("details off: %s", res.body)
	}
}

// An item deleted between the list and its read is left out, not a failed list.
func TestEvaluationItemListSkipsItemsGoneMeanwhile(t *testing.T) {
	up := newEvalUpstream(1)
	e := newEnv(t, upstreamFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" && strings.HasSuffix(r.URL.Path, "/items/ev_item_0_a") {
			jsonReply(w, 404, `{"code":"NOT_FOUND","message":"Evaluation set item ev_item_0_a not found","retryable":false}`)
			return
		}
		up.ServeHTTP(w, r)
	}))
	res := e.legacy("GET", "/evaluation_sets/ev_set_0/items", "")
	wantStatus(t, res, 200)
	if res.get("evaluationSetItems.#").Int() != 1 || res.get("evaluationSetItems.0.id").String() != "ev_item_0_b" {
		t.Errorf("list: %s", res.body)
	}
}
