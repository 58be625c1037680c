package proxy

import (
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/gorilla/mux"
	"github.com/tidwall/sjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// apiErrorCodes name the 2026-02-09 ApiError code for statuses the proxy originates.
var apiErrorCodes = map[int]string{
	http.StatusBadRequest:                  "INVALID_REQUEST",
	http.StatusNotFound:                    "NOT_FOUND",
	http.StatusRequestTimeout:              "REQUEST_TIMEOUT",
	http.StatusRequestEntityTooLarge:       "REQUEST_TOO_LARGE",
	http.StatusRequestHeaderFieldsTooLarge: "REQUEST_HEADERS_TOO_LARGE",
}

// refuse answers a request the proxy turns away itself, in the caller's own
// error shape: legacy {success:false,error} for 2025-04-21 callers, an
// ApiError for 2026-02-09 callers.
func (p *Proxy) refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	st := stateFrom(r.Context())
	st.errMsg = msg
	if p.isLegacy(r, nil) {
		writeJSON(w, status, translate.LegacyError(msg))
		return
	}
	code, ok := apiErrorCodes[status]
	if !ok {
		code = "INVALID_REQUEST"
	}
	out := []byte(`{}`)
	out, _ = sjson.SetBytes(out, "code", code)
	out, _ = sjson.SetBytes(out, "message", msg)
	out, _ = sjson.SetBytes(out, "retryable", false)
	out, _ = sjson.SetBytes(out, "requestId", st.id)
	writeJSON(w, status, out)
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

func (p *Proxy) hidden(w http.ResponseWriter, r *http.Request) {
	p.refuse(w, r, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path)
}
