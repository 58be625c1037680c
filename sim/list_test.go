package sim

import (
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"
)

// pageAll walks every page of a list query and returns the run ids in order.
func (e *env) pageAll(query string, pageSize int) []string {
	e.t.Helper()
	var ids []string
	token := ""
	for pages := 0; pages < 100; pages++ {
		q := query + fmt.Sprintf("&maxPageSize=%d", pageSize)
		if token != "" {
			q += "&nextPageToken=" + url.QueryEscape(token)
		}
		r := e.do("GET", "/workflow_runs?"+q, "").mustStatus(e.t, 200).json
		data := r.Get("data").Array()
		if len(data) > pageSize {
			e.t.Fatalf("page of %d > %d", len(data), pageSize)
		}
		for _, d := range data {
			ids = append(ids, d.Get("id").String())
		}
		if !r.Get("nextPageToken").Exists() {
			return ids
		}
		token = r.Get("nextPageToken").String()
	}
	e.t.Fatal("too many pages")
	return nil
}

func TestListPaginationAndSort(t *testing.T) {
	e := newEnv(t, Options{})
	var created []string // creation order
	for i := 0; i < 23; i++ {
		created = append(created, e.create("workflow_list", fmt.Sprintf("https://x.org/doc-%02d.pdf", i)))
		e.clock.Advance(10 * time.Second) // each earlier run finishes before the next is created
	}
	// Touch the oldest run last so updatedAt order differs from createdAt order.
	e.do("POST", "/workflow_runs/"+created[0], `{"metadata":{"touched":true}}`).mustStatus(t, 200)
	byUpdate := append(slices.Clone(created[1:]), created[0])

	rev := func(s []string) []string { c := slices.Clone(s); slices.Reverse(c); return c }
	cases := []struct {
		query string
		want  []string
	}{
		{"workflowId=workflow_list", rev(created)}, // default createdAt desc
		{"sortBy=createdAt&sortDir=asc", created},
		{"sortBy=createdAt&sortDir=desc", rev(created)},
		{"sortBy=updatedAt&sortDir=asc", byUpdate},
		{"sortBy=updatedAt&sortDir=desc", rev(byUpdate)},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			got := e.pageAll(c.query, 5)
			if !slices.Equal(got, c.want) {
				t.Errorf("order\n got %v\nwant %v", got, c.want)
			}
		})
	}
	if r := e.do("GET", "/workflow_runs", "").json; len(r.Get("data").Array()) != 10 || !r.Get("nextPageToken").Exists() {
		t.Errorf("default page size must be 10 with a token")
	}
}

func TestListFiltersAndErrors(t *testing.T) {
	e := newEnv(t, Options{})
	e.create("workflow_a", "https://x.org/alpha-invoice.pdf")
	e.clock.Advance(time.Minute)
	e.create("workflow_b_review", "https://x.org/beta.pdf")
	batch := e.do("POST", "/workflow_runs/batch", `{"workflow":{"id":"workflow_a"},"inputs":[{"file":{"id":"f1"}},{"file":{"text":"t"}}]}`).mustStatus(t, 200).json.Get("batchId").String()
	e.clock.Advance(time.Minute)
	cases := []struct {
		query string
		n     int
	}{
		{"workflowId=workflow_a", 3},
		{"workflowId=workflow_b_review&status=NEEDS_REVIEW", 1},
		{"status=PROCESSED", 3},
		{"status=PENDING", 0},
		{"batchId=" + batch, 2},
		{"fileNameContains=invoice", 1},
		{"fileNameContains=nothing", 0},
	}
	for _, c := range cases {
		got := e.pageAll(c.query, 2)
		if len(got) != c.n {
			t.Errorf("%s: %d runs, want %d (%v)", c.query, len(got), c.n, got)
		}
	}

	for _, q := range []string{"maxPageSize=0", "maxPageSize=101", "maxPageSize=x", "sortBy=name", "sortDir=up", "nextPageToken=%25%25", "nextPageToken=abc"} {
		assertAPIError(t, e.do("GET", "/workflow_runs?"+q, ""), 400, codeInvalid)
	}
	// A token only fits the filters it was issued for.
	tok := e.do("GET", "/workflow_runs?workflowId=workflow_a&maxPageSize=1", "").json.Get("nextPageToken").String()
	if tok == "" {
		t.Fatal("no token")
	}
	e.do("GET", "/workflow_runs?workflowId=workflow_a&maxPageSize=2&nextPageToken="+url.QueryEscape(tok), "").mustStatus(t, 200)
	assertAPIError(t, e.do("GET", "/workflow_runs?workflowId=workflow_b_review&nextPageToken="+url.QueryEscape(tok), ""), 400, codeInvalid)
}
