package translate

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// Transform migrates one message across one Step: a request forward (older
// to newer version) or a response backward (newer to older). Every endpoint
// transform has this signature; what differs between endpoints travels in
// the Context and the Message.
type Transform func(c *Context, m Message) (Message, error)

// Message is what a transform reads and writes: one body, or one per
// fanned-out call (a legacy create becomes one upstream create per input),
// and the query string.
type Message struct {
	Bodies [][]byte
	Query  url.Values
	// Vars are upstream path variables a request transform found in the
	// body (the evaluation set of a new item); they join the route's own.
	Vars map[string]string
}

// Body returns the first (usually the only) body; nil when there is none.
func (m Message) Body() []byte {
	if len(m.Bodies) == 0 {
		return nil
	}
	return m.Bodies[0]
}

// One wraps a single body.
func One(body []byte) Message { return Message{Bodies: [][]byte{body}} }

// Context carries the per-request facts a transform may need: the
// configurable decisions, where to report what was lost, and facts a request
// transform learns that its response transform uses (the update's name).
type Context struct {
	Options Options
	// Report collects dropped and synthesized fields; nil means not collected.
	Report *Report
	// Name is the run name an update sent; set by the update request transform.
	Name *string
	// ReceivedAt is when the proxy received the request (initialRunAt fallback on create).
	ReceivedAt time.Time
	// Now is the clock of last resort for synthesized timestamps; zero means time.Now().
	Now time.Time
	// Fanout is how many upstream runs the request starts (a create's inputs,
	// a batch's), set by its request transform for logs and metrics.
	Fanout int
	// Vars are the route's path variables (and any a request transform added).
	Vars map[string]string
	// Parents are child → parent ids the response transforms learned
	// (evaluation set items → sets), for the proxy's lookup cache.
	Parents map[string]string

	// pooled are the output buffers of answers built on this Context, given
	// back by Release.
	pooled []*scratch
}

// runContext adapts Context to the run writers.
func (c *Context) runContext() RunContext {
	return RunContext{Name: c.Name, ReceivedAt: c.ReceivedAt, Now: c.Now, Report: c.Report}
}

// Step is the move from one API version to the next: the breaking changes
// it absorbs, as data, and the transforms that implement them, per route.
type Step struct {
	From, To  string
	Changes   []Change
	Endpoints map[string]Endpoint
	// Objects says where each legacy object named in a Change's Lossy paths
	// sits in each route's body (object → route → path prefix).
	Objects map[string]map[string]string
}

// Registry is the chain of Steps between the versions the proxy knows.
type Registry struct {
	steps []*Step
}

// ErrNoPath is returned by Path for a version the registry cannot reach.
var ErrNoPath = errors.New("no translation path between these API versions")

// NewRegistry checks that the steps form one chain, oldest first.
func NewRegistry(steps ...*Step) (*Registry, error) {
	if len(steps) == 0 {
		return nil, errors.New("translate: a registry needs at least one step")
	}
	for i, s := range steps {
		if s.From == "" || s.To == "" || s.From == s.To {
			return nil, fmt.Errorf("translate: step %d has versions %q → %q", i, s.From, s.To)
		}
		if i > 0 && steps[i-1].To != s.From {
			return nil, fmt.Errorf("translate: step %d starts at %s, the previous one ends at %s", i, s.From, steps[i-1].To)
		}
		for _, c := range s.Changes {
			if err := c.check(s); err != nil {
				return nil, fmt.Errorf("translate: step %s → %s: %w", s.From, s.To, err)
			}
		}
	}
	return &Registry{steps: chain(steps)}, nil
}

// chain completes each later step with the routes of the one before: a
// route a step does not change keeps the previous step's upstream call as
// its own path, with no transforms, so a client of any version reaches it.
// The steps given are not modified.
func chain(steps []*Step) []*Step {
	out := []*Step{steps[0]}
	for _, s := range steps[1:] {
		prev := out[len(out)-1]
		c := *s
		c.Endpoints = make(map[string]Endpoint, len(prev.Endpoints))
		for name, pe := range prev.Endpoints {
			if pe.Serve == ServeRemoved {
				continue
			}
			c.Endpoints[name] = Endpoint{Serve: pe.Serve}
		}
		for name, e := range s.Endpoints {
			c.Endpoints[name] = e
		}
		for name, e := range c.Endpoints {
			if pe, ok := prev.Endpoints[name]; ok && e.Path == "" {
				e.Method, e.Path = pe.Upstream()
				c.Endpoints[name] = e
			}
		}
		out = append(out, &c)
	}
	return out
}

// MustRegistry is NewRegistry for package-level values.
func MustRegistry(steps ...*Step) *Registry {
	r, err := NewRegistry(steps...)
	if err != nil {
		panic(err)
	}
	return r
}

// Default is the registry the proxy uses unless told otherwise.
var Default = MustRegistry(legacyStep)

// Steps lists the registry's steps, oldest first.
func (r *Registry) Steps() []*Step { return slices.Clone(r.steps) }

// RouteNames lists every translated HTTP route a client can be served on,
// sorted; routes the proxy answers itself (removed endpoints) and event
// routes are left out.
func (r *Registry) RouteNames() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range r.steps {
		for name, e := range s.Endpoints {
			if e.Serve != ServeRemoved && e.Path != "" && !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Latest is the newest version the registry reaches.
func (r *Registry) Latest() string { return r.steps[len(r.steps)-1].To }

// Versions lists every known version, oldest first.
func (r *Registry) Versions() []string {
	out := []string{r.steps[0].From}
	for _, s := range r.steps {
		out = append(out, s.To)
	}
	return out
}

// Knows reports whether v is one of the registry's versions.
func (r *Registry) Knows(v string) bool { return slices.Contains(r.Versions(), v) }

// Path returns the steps that take a client of version client to an upstream
// of version upstream. An empty path (the same version) means passthrough.
// A client newer than the upstream, or an unknown version, is ErrNoPath.
func (r *Registry) Path(client, upstream string) (Path, error) {
	vs := r.Versions()
	from, to := slices.Index(vs, client), slices.Index(vs, upstream)
	if from < 0 || to < 0 || from > to {
		return nil, fmt.Errorf("%w: %q → %q", ErrNoPath, client, upstream)
	}
	return Path(r.steps[from:to]), nil
}

// Path is the ordered list of steps from a client's version to the upstream's.
type Path []*Step

// Client is the version the path's client speaks; "" for an empty path.
func (p Path) Client() string {
	if len(p) == 0 {
		return ""
	}
	return p[0].From
}

// Request migrates a client request forward through every step.
func (p Path) Request(route string, c *Context, m Message) (Message, error) {
	for _, s := range p {
		if t := s.Endpoints[route].Request; t != nil {
			var err error
			if m, err = t(c, m); err != nil {
				return Message{}, err
			}
		}
	}
	return m, nil
}

// Response migrates an upstream response backward through every step.
func (p Path) Response(route string, c *Context, m Message) (Message, error) {
	for i := len(p) - 1; i >= 0; i-- {
		if t := p[i].Endpoints[route].Response; t != nil {
			var err error
			if m, err = t(c, m); err != nil {
				return Message{}, err
			}
		}
	}
	return m, nil
}

// Changes lists the changes of every step, oldest first.
func (p Path) Changes() []Change {
	var out []Change
	for _, s := range p {
		out = append(out, s.Changes...)
	}
	return out
}

// LossyPaths returns, for a route's success body as the path's client sees
// it, the JSON paths (gjson style, "#" for any index; each covers everything
// below it) that some change declares lossy or synthesized. Shadow
// comparisons set them aside and count them apart. Later steps' paths are
// expressed in their own From version's shape.
func (p Path) LossyPaths(route string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range p {
		for _, c := range s.Changes {
			for _, l := range c.Lossy {
				obj, rel, _ := strings.Cut(l, ":")
				prefix, ok := s.Objects[obj][route]
				if !ok {
					continue
				}
				if full := prefix + rel; !seen[full] {
					seen[full] = true
					out = append(out, full)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// DefaultRoutes lists the routes legacy clients reach through the default registry.
func DefaultRoutes() []Route {
	p, _ := Default.Path(LegacyVersion, NewVersion)
	return p.Routes()
}

// LossyPaths returns the default path's lossy paths for a legacy route.
func LossyPaths(route string) []string {
	p, _ := Default.Path(LegacyVersion, NewVersion)
	return p.LossyPaths(route)
}
