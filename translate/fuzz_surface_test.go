package translate

import (
	"sort"
	"testing"
)

// surfaceRoutes are the routes beyond workflow runs, in a fixed order.
func surfaceRoutes() []string {
	var names []string
	for name := range surfaceEndpoints {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// FuzzSurfaceResponses feeds any upstream body to every surface response
// transform: each answers valid JSON or ErrInvalidResponse, never panics.
func FuzzSurfaceResponses(f *testing.F) {
	seedGolden(f, "*.new.json")
	routes := surfaceRoutes()
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, route := range routes {
			c := &Context{Report: &Report{}, Vars: map[string]string{"id": "x", "evaluationSetId": "y"}}
			out, err := legacyPath.Response(route, c, One(in))
			checkOutput(t, out.Body(), err, ErrInvalidResponse)
		}
	})
}

// FuzzSurfaceRequests feeds any client body to every surface request
// transform: each gives a body the upstream can parse or a RequestError.
func FuzzSurfaceRequests(f *testing.F) {
	seedGolden(f, "*.legacy.json")
	routes := surfaceRoutes()
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, route := range routes {
			out, err := legacyPath.Request(route, &Context{Report: &Report{}}, One(in))
			if err != nil {
				checkOutput(t, nil, err, ErrInvalidRequest)
				continue
			}
			if e := surfaceEndpoints[route]; len(out.Body()) > 0 && e.Method == "POST" && e.Request != nil {
				b := out.Body()
				checkOutput(t, b, nil, nil)
			}
		}
	})
}
