package proxy

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/tidwall/gjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// maxParents bounds the child → parent cache; the oldest entries go first.
const maxParents = 10000

// parentCache remembers which parent (evaluation set) a child (item) belongs
// to, learned from answers the proxy relays (surface D6). Bounded, so no
// client can grow it without limit.
type parentCache struct {
	mu    sync.Mutex
	m     map[string]string
	order []string
}

func (c *parentCache) get(child string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[child]
	return p, ok
}

func (c *parentCache) add(child, parent string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]string{}
	}
	if _, ok := c.m[child]; !ok {
		c.order = append(c.order, child)
		if len(c.order) > maxParents {
			delete(c.m, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.m[child] = parent
}

// findParent fills the lookup's variable: from the cache, else by scanning
// up to EvaluationScanLimit parents and their children; a 404 in the legacy
// shape when the child is nowhere.
func (p *Proxy) findParent(ctx context.Context, h http.Header, lk *translate.Lookup, child string) (string, error) {
	if parent, ok := p.parents.get(child); ok {
		return parent, nil
	}
	limit := p.opt.Translate.EvaluationScanLimit
	if limit <= 0 {
		limit = 200
	}
	scanned := 0
	var found string
	err := p.eachPage(ctx, h, lk.Parents, func(parent string) bool {
		scanned++
		_ = p.eachPage(ctx, h, strings.ReplaceAll(lk.Children, "{parent}", url.PathEscape(parent)), func(c string) bool {
			p.parents.add(c, parent)
			if c == child {
				found = parent
			}
			return found == ""
		})
		return found == "" && scanned < limit
	})
	switch {
	case found != "":
		return found, nil
	case err != nil:
		return "", err
	}
	return "", errorf(http.StatusNotFound, "%s %s not found (searched %d sets)", lk.What, child, scanned)
}

// eachPage calls fn for every id of an upstream list, page after page,
// until fn returns false or the pages end (at most 100 pages).
func (p *Proxy) eachPage(ctx context.Context, h http.Header, path string, fn func(id string) bool) error {
	q := url.Values{"maxPageSize": {"100"}}
	for page := 0; page < 100; page++ {
		body, err := p.send(ctx, call{op: "lookup", method: http.MethodGet, path: path, query: q, header: h, idempotent: true})
		if err != nil {
			return err
		}
		more := true
		gjson.GetBytes(body, "data.#.id").ForEach(func(_, v gjson.Result) bool {
			more = fn(v.String())
			return more
		})
		next := gjson.GetBytes(body, "nextPageToken").String()
		if !more || next == "" {
			return nil
		}
		q.Set("nextPageToken", next)
	}
	return nil
}

// expand fetches the details of a list's items (bounded concurrency) and
// returns them after the list, in order.
func (p *Proxy) expand(ctx context.Context, h http.Header, ex *translate.Expand, vars map[string]string, list []byte) ([][]byte, error) {
	ids := ex.IDs(list)
	out := make([][]byte, len(ids)+1)
	out[0] = list
	errs := make([]error, len(ids))
	sem := make(chan struct{}, p.opt.FanOutConcurrency)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, id string) {
			defer wg.Done()
			defer func() { <-sem }()
			defer p.recovered(ctx, "list read", func(e *Error) { errs[i] = e })
			v := map[string]string{"item": id}
			for k, x := range vars {
				v[k] = x
			}
			out[i+1], errs[i] = p.send(ctx, call{op: "expand", method: http.MethodGet, path: fillPath(ex.Path, v),
				header: h, idempotent: true})
		}(i, id)
	}
	wg.Wait()
	for i, err := range errs {
		var us *upstreamStatus
		if errors.As(err, &us) && us.resp.Status == http.StatusNotFound {
			out[i+1] = []byte("null") // deleted between the list and the read: the transform leaves it out
			continue
		}
		if err != nil {
			return nil, errorf(http.StatusBadGateway, "reading item %s of the list failed (%d of %d): %v",
				ids[i], i+1, len(ids), classify(ctx, err).Message)
		}
	}
	return out, nil
}

// fillPath replaces each {name} of a template with its value, escaped as one path segment.
func fillPath(tmpl string, vars map[string]string) string {
	for k, v := range vars {
		tmpl = strings.ReplaceAll(tmpl, "{"+k+"}", url.PathEscape(v))
	}
	return tmpl
}
