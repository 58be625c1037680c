package sim

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/mux"
	"github.com/tidwall/gjson"
)

// The rest of the legacy SDK's surface (docs/spec/surface-2026-02-09.md):
// files, parse runs, the processor family, evaluation sets and workflows.
// Each resource keeps one state, served in both API versions by two
// renderers in the resource's own file.

// store is a bounded, creation-ordered map of one kind of object: the
// oldest entries are evicted beyond max, as runs are (model.go).
type store[T any] struct {
	m      map[string]T
	order  []string
	pinned map[string]bool // seeded entries, never evicted
}

func newStore[T any]() *store[T] { return &store[T]{m: map[string]T{}} }

func (st *store[T]) get(id string) (T, bool) {
	v, ok := st.m[id]
	return v, ok
}

func (st *store[T]) add(id string, v T, max int) {
	st.m[id] = v
	st.order = append(st.order, id)
	for i := 0; len(st.m) > max+len(st.pinned) && i < len(st.order); {
		if old := st.order[i]; st.pinned[old] {
			i++
		} else {
			delete(st.m, old)
			st.order = slices.Delete(st.order, i, i+1)
		}
	}
	st.compact()
}

// pin stores a seeded entry that eviction skips.
func (st *store[T]) pin(id string, v T) {
	if st.pinned == nil {
		st.pinned = map[string]bool{}
	}
	st.pinned[id] = true
	st.add(id, v, len(st.m)+1)
}

func (st *store[T]) del(id string) bool {
	if _, ok := st.m[id]; !ok {
		return false
	}
	delete(st.m, id)
	st.compact()
	return true
}

// compact drops deleted ids from the order once they dominate it.
func (st *store[T]) compact() {
	if len(st.order) <= 2*len(st.m)+64 {
		return
	}
	st.order = slices.DeleteFunc(st.order, func(id string) bool { _, ok := st.m[id]; return !ok })
}

// all returns the live entries in creation order.
func (st *store[T]) all() []T {
	out := make([]T, 0, len(st.m))
	for _, id := range st.order {
		if v, ok := st.m[id]; ok {
			out = append(out, v)
		}
	}
	return out
}

// surfaceState holds every non-workflow-run resource; guarded by Sim.mu.
type surfaceState struct {
	files      *store[*storedFile]
	parseRuns  *store[*parseRun]
	processors *store[*processor]
	procRuns   *store[*procRun]
	batchRuns  *store[*batchRun]
	evalSets   *store[*evalSet]
	evalItems  *store[*evalItem]
	workflows  *store[*workflowDef]
	seq        uint64
	// deletedRunFiles hides run files deleted through DELETE /files/{id}.
	deletedRunFiles map[string]bool
}

func newSurfaceState() *surfaceState {
	st := &surfaceState{files: newStore[*storedFile](), parseRuns: newStore[*parseRun](),
		processors: newStore[*processor](), procRuns: newStore[*procRun](), batchRuns: newStore[*batchRun](),
		evalSets: newStore[*evalSet](), evalItems: newStore[*evalItem](), workflows: newStore[*workflowDef](), deletedRunFiles: map[string]bool{}}
	seedProcessors(st)
	return st
}

// nextSeq orders objects created in the same instant.
func (st *surfaceState) nextSeq() uint64 {
	st.seq++
	return st.seq
}

// newSurfaceRoutes adds the 2026-02-09 endpoints of the rest of the surface.
func (s *Sim) newSurfaceRoutes(m *mux.Router) {
	get, post, del := http.MethodGet, http.MethodPost, http.MethodDelete
	h := func(path string, f handlerFunc, method string) { m.HandleFunc(path, s.wrap(f, false)).Methods(method) }
	h("/files", s.fileList, get)
	h("/files/upload", s.fileUpload, post)
	h("/files/{id}", s.fileGet, get)
	h("/files/{id}", s.fileDelete, del)
	h("/parse", s.parseSync, post)
	h("/parse_runs", s.parseCreate, post)
	h("/parse_runs/{id}", s.parseGet, get)
	h("/parse_runs/{id}", s.parseDelete, del)
	h("/evaluation_sets", s.evalSetList, get)
	h("/evaluation_sets", s.evalSetCreate, post)
	h("/evaluation_sets/{id}", s.evalSetGet, get)
	h("/evaluation_sets/{id}/items", s.evalItemList, get)
	h("/evaluation_sets/{id}/items", s.evalItemCreate, post)
	h("/evaluation_sets/{id}/items/{itemId}", s.evalItemGet, get)
	h("/evaluation_sets/{id}/items/{itemId}", s.evalItemUpdate, post)
	h("/evaluation_sets/{id}/items/{itemId}", s.evalItemDelete, del)
	h("/workflows", s.workflowCreate, post)
	s.processorRoutes(m, false)
}

// legacySurfaceRoutes adds the 2025-04-21 endpoints of the rest of the surface.
func (s *Sim) legacySurfaceRoutes(m *mux.Router) {
	get, post, del := http.MethodGet, http.MethodPost, http.MethodDelete
	h := func(path string, f handlerFunc, method string) { m.HandleFunc(path, s.wrap(f, true)).Methods(method) }
	h("/files", s.legacyFileList, get)
	h("/files/upload", s.legacyFileUpload, post)
	h("/files/{id}", s.legacyFileGet, get)
	h("/files/{id}", s.legacyFileDelete, del)
	h("/parse", s.legacyParse, post)
	h("/parse/async", s.legacyParseAsync, post)
	h("/parser_runs/{id}", s.legacyParserRunGet, get)
	h("/parser_runs/{id}", s.legacyParserRunDelete, del)
	h("/evaluation_sets", s.legacyEvalSetList, get)
	h("/evaluation_sets", s.legacyEvalSetCreate, post)
	h("/evaluation_sets/{id}", s.legacyEvalSetGet, get)
	h("/evaluation_sets/{id}/items", s.legacyEvalItemList, get)
	h("/evaluation_set_items/bulk", s.legacyEvalItemBulk, post)
	h("/evaluation_set_items", s.legacyEvalItemCreate, post)
	h("/evaluation_set_items/{id}", s.legacyEvalItemUpdate, post)
	h("/evaluation_set_items/{id}", s.legacyEvalItemDelete, del)
	h("/workflows", s.legacyWorkflowCreate, post)
	s.processorRoutes(m, true)
}

// pageQuery is a validated page request of the surface's list endpoints.
type pageQuery struct {
	sortBy, sortDir string
	size, offset    int
	filters         []string // the filter values, part of the token fingerprint
}

// parsePage validates sortBy (when sortKeys is non-empty), sortDir,
// maxPageSize and nextPageToken; filters are bound to the token.
func parsePage(v url.Values, sortKeys []string, filters ...string) (pageQuery, *apiError) {
	q := pageQuery{sortBy: v.Get("sortBy"), sortDir: v.Get("sortDir"), size: 10, filters: filters}
	if q.sortBy == "" && len(sortKeys) > 0 {
		q.sortBy = sortKeys[0]
	}
	if len(sortKeys) > 0 && !slices.Contains(sortKeys, q.sortBy) {
		return q, badRequest("sortBy must be one of %s (got %q)", strings.Join(sortKeys, ", "), q.sortBy)
	}
	if q.sortDir == "" {
		q.sortDir = "desc"
	}
	if q.sortDir != "asc" && q.sortDir != "desc" {
		return q, badRequest("sortDir must be asc or desc (got %q)", q.sortDir)
	}
	if ps := v.Get("maxPageSize"); ps != "" {
		n, err := strconv.Atoi(ps)
		if err != nil || n < 1 || n > 100 {
			return q, badRequest("maxPageSize must be an integer from 1 to 100 (got %q)", ps)
		}
		q.size = n
	}
	if tok := v.Get("nextPageToken"); tok != "" {
		off, ok := decodeToken(tok, q.fingerprint())
		if !ok {
			return q, badRequest("nextPageToken is invalid or does not match the filters and sort")
		}
		q.offset = off
	}
	return q, nil
}

func (q pageQuery) fingerprint() string { return pageFingerprint(q.filters, q.sortBy, q.sortDir) }

// pageOf sorts items (oldest first by key, then seq), applies the direction
// and returns one page and the next token ("" on the last page).
func pageOf[T any](q pageQuery, items []T, key func(T) (string, uint64)) ([]T, string) {
	slices.SortStableFunc(items, func(a, b T) int {
		ka, sa := key(a)
		kb, sb := key(b)
		c := strings.Compare(ka, kb)
		if c == 0 {
			c = cmpSeq(sa, sb)
		}
		if q.sortDir == "desc" {
			c = -c
		}
		return c
	})
	if q.offset >= len(items) {
		return nil, ""
	}
	end := min(q.offset+q.size, len(items))
	if end >= len(items) {
		return items[q.offset:end], ""
	}
	return items[q.offset:end], encodeToken(end, q.fingerprint())
}

// checkKeys refuses keys of obj outside allowed: the sim is strict about the
// request types, as the real API's schema validation is.
func checkKeys(where string, obj gjson.Result, allowed ...string) *apiError {
	var bad *apiError
	obj.ForEach(func(k, _ gjson.Result) bool {
		if !slices.Contains(allowed, k.String()) {
			bad = badRequest("%s: unknown field %q", where, k.String())
			return false
		}
		return true
	})
	return bad
}

// reqString reads a required non-empty string field.
func reqString(obj gjson.Result, key, where string) (string, *apiError) {
	s, ok, err := optString(obj, key, where)
	if err != nil {
		return "", err
	}
	if !ok || s == "" {
		return "", badRequest("%s.%s is required and must be a non-empty string", where, key)
	}
	return s, nil
}

// optBool reads an optional boolean field.
func optBool(obj gjson.Result, key, where string) (bool, *apiError) {
	v := field(obj, key)
	if !v.Exists() {
		return false, nil
	}
	if !v.IsBool() {
		return false, badRequest("%s.%s must be a boolean", where, key)
	}
	return v.Bool(), nil
}

// queryBool validates an optional boolean query parameter.
func queryBool(v url.Values, key string) (bool, *apiError) {
	switch v.Get(key) {
	case "":
		return false, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, badRequest("%s must be true or false (got %q)", key, v.Get(key))
}

// pathID is the {id} path variable.
func pathID(req *http.Request, name string) string { return mux.Vars(req)[name] }

func itoa(i int) string { return strconv.Itoa(i) }
