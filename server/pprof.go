package server

import (
	"net/http"
	"net/http/pprof"
)

// mountPprof serves Go's profiler (CPU, heap, goroutines, traces) under
// /debug/pprof/ so an operator can see where time goes in production. It is
// mounted on the admin mux only when admin.pprof is true. Importing
// net/http/pprof also registers these handlers on http.DefaultServeMux, which
// no listener of this program serves; the client listener has its own router.
func mountPprof(mux *http.ServeMux) {
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
}
