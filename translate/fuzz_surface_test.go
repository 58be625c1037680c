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
