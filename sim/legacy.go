package sim

import "net/http"

// legacyRoutes serves the 2025-04-21 surface; until it exists the version is
// refused like any unknown one.
func (s *Sim) legacyRoutes() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, badRequest("x-extend-api-version %s is not supported yet", legacyVersion), false)
	})
}
