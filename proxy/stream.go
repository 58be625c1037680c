package proxy

import (
	"mime"
	"net/http"
	"strings"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// stream serves an upload: the multipart body goes upstream as it arrives,
// never held in memory (surface D4), still bounded by the body limit (an
// announced Content-Length over it is refused at the edge, before any
// upstream call; a chunked body is cut by the limit reader); only
// the (small) JSON answer is read and translated. An upload is never retried.
func (p *Proxy) stream(route string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ct := r.Header.Get("Content-Type")
		if mt, params, err := mime.ParseMediaType(ct); err != nil || !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
			p.fail(w, r, errorf(http.StatusBadRequest, "the upload must be multipart/form-data with a file part"))
			return
		}
		path := p.pathFor(r)
		c, err := upstreamCall(path, route, r)
		if err != nil {
			p.fail(w, r, err)
			return
		}
		c.stream, c.contentType, c.length, c.query = r.Body, ct, r.ContentLength, queryOf(r)
		ctx, cancel := p.deadline(r)
		defer cancel()
		tc := p.tcontext()
		defer p.noteReport(r, tc.Report)
		defer tc.Release() // the answer's buffer, once it is written
		body, err := p.send(ctx, c)
		if err == nil {
			var m translate.Message
			m, err = path.Response(route, tc, translate.One(body))
			body = m.Body()
		}
		if err != nil {
			if bodyErr := stateFrom(r.Context()).body.failure(); bodyErr != nil {
				err = classifyTransportErr(r, bodyErr) // a stalled upload is the client's 408, not a 502
			}
			p.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, body)
	}
}
