package translate

import (
	"sort"
	"strings"
)

// Endpoint holds one route's pair of transforms for one Step, and where the
// route lives on both sides. A nil transform leaves the message unchanged.
type Endpoint struct {
	Request  Transform
	Response Transform
	// Method and Path are the route as clients of the step's From version
	// call it; Path is a gorilla/mux template ("/parser_runs/{id}").
	Method, Path string
	// UpstreamMethod and UpstreamPath are the call in the To version, with
	// the same {variables}; empty means the same as Method and Path.
	UpstreamMethod, UpstreamPath string
	// Class is the surface spec's class (S§10): a forwarded, b same path
	// translated, c moved or reshaped, d removed.
	Class string
	// Serve names how the proxy serves the route: "" is one upstream call
	// (the common case); ServeFanOut, ServeRemoved, ServeStream and ServePoll are the others.
	Serve string
	// PollPath (ServePoll) is the upstream GET, with {id}, that is repeated
	// until Settled says the answer is final.
	PollPath string
	Settled  func(body []byte) (id string, settled bool)
	// Lookup, when set, finds an upstream path variable the client's call
	// does not carry, before the call.
	Lookup *Lookup
	// Expand, when set, fetches details of the answer's items after the call.
	Expand *Expand
}

// Lookup says how to find the parent id an upstream path needs (an item's
// evaluation set, surface D6): from ids learned earlier, else by scanning
// the parents and their children.
type Lookup struct {
	Var      string // the upstream path variable to fill, e.g. "evaluationSetId"
	Key      string // the route variable it is the parent of, e.g. "id"
	Parents  string // upstream list of every parent ("/evaluation_sets")
	Children string // upstream list of one parent's children, with {parent}
	What     string // what is looked up, for the 404 message ("Evaluation set item")
}

// Expand says how to complete a list whose items lack fields: GET Path (the
// route's variables plus {item}) for each id IDs finds in the answer; the
// answers follow the list, in order, in the response transform's Message.
type Expand struct {
	Path string
	IDs  func(body []byte) []string
	// Skip turns the expansion off for these options.
	Skip func(Options) bool
}

// Ways of serving a route other than one plain upstream call.
const (
	ServeFanOut  = "fanout"  // one upstream call per input, rolled back as a whole on failure
	ServeRemoved = "removed" // answered by the proxy: validated, then 410 Gone
	ServeStream  = "stream"  // request body streamed upstream unread (uploads)
	ServePoll    = "poll"    // one call, then GETs of PollPath until Settled (synchronous parse)
)

// Upstream returns the call the route becomes in the To version.
func (e Endpoint) Upstream() (method, path string) {
	method, path = e.UpstreamMethod, e.UpstreamPath
	if method == "" {
		method = e.Method
	}
	if path == "" {
		path = e.Path
	}
	return method, path
}

// Route is one translated route as the proxy registers it.
type Route struct {
	Name string
	Endpoint
}

// Routes lists the routes clients of version client can call with a
// translation, from the first step of its path: static paths before
// templated ones, so "/workflow_runs/batch" is matched before "/workflow_runs/{id}".
func (p Path) Routes() []Route {
	if len(p) == 0 {
		return nil
	}
	var out []Route
	for name, e := range p[0].Endpoints {
		if e.Path != "" {
			out = append(out, Route{Name: name, Endpoint: e})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		vi, vj := strings.Count(out[i].Path, "{"), strings.Count(out[j].Path, "{")
		if vi != vj {
			return vi < vj
		}
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// Endpoint returns the route's endpoint as the path's client calls it and
// the upstream call it becomes at the end of the path.
func (p Path) Endpoint(route string) (e Endpoint, upstreamMethod, upstreamPath string, ok bool) {
	if len(p) == 0 {
		return Endpoint{}, "", "", false
	}
	e, ok = p[0].Endpoints[route]
	if !ok {
		return Endpoint{}, "", "", false
	}
	upstreamMethod, upstreamPath = e.Upstream()
	for _, s := range p[1:] {
		if next, has := s.Endpoints[route]; has && next.UpstreamPath != "" {
			upstreamMethod, upstreamPath = next.Upstream()
		}
	}
	return e, upstreamMethod, upstreamPath, true
}
