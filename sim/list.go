package sim

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// listQuery is a validated list request (N§3.2).
type listQuery struct {
	status, workflowID, batchID, nameContains string
	sortBy, sortDir                           string
	pageSize, offset                          int
}

// fingerprint ties a page token to the filters and sort it was issued for;
// the page size may change between pages.
func (q listQuery) fingerprint() string {
	return pageFingerprint([]string{q.status, q.workflowID, q.batchID, q.nameContains}, q.sortBy, q.sortDir)
}

// pageFingerprint hashes a list's filter values and sort (every list of the
// sim, workflow runs and the rest of the surface alike).
func pageFingerprint(filters []string, sortBy, sortDir string) string {
	sum := sha256.Sum256([]byte(strings.Join(append(slices.Clone(filters), sortBy, sortDir), "\x00")))
	return hex.EncodeToString(sum[:8])
}

func encodeToken(offset int, fp string) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "v1:%d:%s", offset, fp))
}

func decodeToken(tok, fp string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 3 || parts[0] != "v1" || parts[2] != fp {
		return 0, false
	}
	off, err := strconv.Atoi(parts[1])
	if err != nil || off < 0 {
		return 0, false
	}
	return off, true
}

// parseList validates the query; legacy uses the same names (L§ list). The
// sort and paging rules are those of every list of the sim (parsePage).
func parseList(v url.Values) (listQuery, *apiError) {
	q := listQuery{status: v.Get("status"), workflowID: v.Get("workflowId"), batchID: v.Get("batchId"),
		nameContains: v.Get("fileNameContains")}
	p, err := parsePage(v, []string{"createdAt", "updatedAt"}, q.status, q.workflowID, q.batchID, q.nameContains)
	q.sortBy, q.sortDir, q.pageSize, q.offset = p.sortBy, p.sortDir, p.size, p.offset
	return q, err
}

// listed is a run with the timeline it was filtered and sorted on.
type listed struct {
	r  *run
	tl timeline
}

// selectLocked filters and sorts all runs and returns one page plus the
// next offset (-1 on the last page).
func (s *Sim) selectLocked(q listQuery, now time.Time) ([]listed, int) {
	var all []listed
	for _, r := range s.runs {
		tl := s.timelineAt(r, now)
		if q.matches(r, tl) {
			all = append(all, listed{r, tl})
		}
	}
	slices.SortFunc(all, func(a, b listed) int {
		ka, kb := a.r.created, b.r.created
		if q.sortBy == "updatedAt" {
			ka, kb = a.tl.updated, b.tl.updated
		}
		c := ka.Compare(kb)
		if c == 0 {
			c = cmpSeq(a.r.seq, b.r.seq)
		}
		if q.sortDir == "desc" {
			c = -c
		}
		return c
	})
	if q.offset >= len(all) {
		return nil, -1
	}
	end := min(q.offset+q.pageSize, len(all))
	next := end
	if end >= len(all) {
		next = -1
	}
	return all[q.offset:end], next
}

func cmpSeq(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (q listQuery) matches(r *run, tl timeline) bool {
	if q.status != "" && tl.status != q.status {
		return false
	}
	if q.workflowID != "" && r.workflowID != q.workflowID {
		return false
	}
	if q.batchID != "" && r.batchID != q.batchID {
		return false
	}
	if q.nameContains != "" {
		for _, f := range r.files {
			if strings.Contains(f.name, q.nameContains) {
				return true
			}
		}
		return false
	}
	return true
}

// listResponseJSON is WorkflowRunsListResponse; the token is omitted on the last page.
type listResponseJSON struct {
	Object        string                   `json:"object"`
	Data          []workflowRunSummaryJSON `json:"data"`
	NextPageToken string                   `json:"nextPageToken,omitempty"`
}

func (s *Sim) list(req *http.Request, _ []byte) (int, []byte, *apiError) {
	q, err := parseList(req.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opt.Now()
	page, next := s.selectLocked(q, now)
	out := listResponseJSON{Object: "list", Data: make([]workflowRunSummaryJSON, 0, len(page))}
	for _, l := range page {
		out.Data = append(out.Data, s.renderSummary(l.r, now))
	}
	if next >= 0 {
		out.NextPageToken = encodeToken(next, q.fingerprint())
	}
	return marshal(out)
}
