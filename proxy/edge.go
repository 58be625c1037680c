package proxy

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/gorilla/mux"
)

// refuse answers a request the proxy turns away itself, in the caller's own
// error shape, through the one funnel.
func (p *Proxy) refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	p.fail(w, r, &Error{Status: status, Message: msg})
}

// isHidden matches paths under Options.HiddenPrefixes. The path is decoded and
// cleaned first, so "/%5Fsim/requests" or "/x/../_sim/requests" are hidden too.
func (p *Proxy) isHidden(r *http.Request, _ *mux.RouteMatch) bool {
	if len(p.opt.HiddenPrefixes) == 0 {
		return false
	}
	raw := r.URL.EscapedPath()
	for i := 0; i < 3; i++ { // undo repeated encodings an upstream might decode
		d, err := url.PathUnescape(raw)
		if err != nil || d == raw {
			break
		}
		raw = d
	}
	clean := path.Clean("/" + raw)
	for _, prefix := range p.opt.HiddenPrefixes {
		if strings.HasPrefix(clean+"/", prefix) {
			return true
		}
	}
	return false
}

// notFound answers paths the proxy will not forward.
func (p *Proxy) notFound(w http.ResponseWriter, r *http.Request) {
	p.refuse(w, r, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
}

// DefaultMaxHeaderBytes is the default of Options.MaxHeaderBytes.
const DefaultMaxHeaderBytes = 64 << 10

// refusedAtTheEdge answers requests that are refused before any handler runs:
// headers over MaxHeaderBytes (431) and a Content-Length over MaxBodyBytes
// (413, before anything connects upstream or reads a byte). It reports whether it answered.
func (p *Proxy) refusedAtTheEdge(w http.ResponseWriter, r *http.Request) bool {
	if n := headerSize(r); n > p.opt.MaxHeaderBytes {
		p.refuse(w, r, http.StatusRequestHeaderFieldsTooLarge,
			"request headers exceed the limit of "+strconv.Itoa(p.opt.MaxHeaderBytes)+" bytes")
		return true
	}
	if r.ContentLength > p.opt.MaxBodyBytes {
		p.passthroughError(w, r, &http.MaxBytesError{Limit: p.opt.MaxBodyBytes})
		return true
	}
	return false
}

// headerSize approximates the bytes of the request line and headers on the wire.
func headerSize(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4 // ": " and CRLF
		}
	}
	return n
}

// uncleanPath matches paths with an empty, "." or ".." segment.
func uncleanPath(r *http.Request, _ *mux.RouteMatch) bool {
	p := r.URL.EscapedPath()
	return p != "/" && (path.Clean(p) != strings.TrimSuffix(p, "/") || strings.Contains(p, "//"))
}

// clientBody marks read errors of the client's body and remembers the first,
// so a failed passthrough can tell a stalled client (408) from an unreachable
// upstream (502/504), even when the transport reports only the cancelled
// context or the upstream answered the truncated body first.
type clientBody struct {
	io.ReadCloser
	mu     sync.Mutex
	failed *clientBodyError
}

func (b *clientBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		var mbe *http.MaxBytesError
		if !errors.As(err, &mbe) {
			cbe := &clientBodyError{err: err}
			b.mu.Lock()
			if b.failed == nil {
				b.failed = cbe
			}
			b.mu.Unlock()
			err = cbe
		}
	}
	return n, err
}

// failure returns the first read error of the body, or nil; safe on a nil *clientBody.
func (b *clientBody) failure() error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failed == nil {
		return nil
	}
	return b.failed
}

// clientBodyError is a failed read of the client's request body.
type clientBodyError struct{ err error }

func (e *clientBodyError) Error() string { return "reading the request body: " + e.err.Error() }
func (e *clientBodyError) Unwrap() error { return e.err }

// classify maps the failure to the funnel: the read deadline passing is 408;
// a client that went away is left to the funnel's 499; anything else is 400.
func (e *clientBodyError) classify(r *http.Request) error {
	if err := bodyReadError(e.err); err != e.err {
		return err
	}
	if r.Context().Err() != nil {
		return e.err
	}
	return &Error{Status: http.StatusBadRequest, Message: "the request body could not be read", Cause: e.err}
}
