package sim

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/tidwall/gjson"
)

// Bounds of the request log: it is a debugging aid, so a long-lived sim keeps
// only the newest entries and never a whole large body.
const (
	defaultMaxRecorded  = 1000
	maxRecordedBodySize = 256 << 10
)

// redacted replaces credential values in the request log.
const redacted = "REDACTED"

// credentialHeaders are recorded as REDACTED, like the proxy's logs never show them.
var credentialHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key"}

// ring is a fixed-capacity log of recorded requests; the oldest entry is
// overwritten when it is full.
type ring struct {
	buf   []Recorded
	start int // index of the oldest entry
	n     int
}

func newRing(capacity int) ring { return ring{buf: make([]Recorded, capacity)} }

func (r *ring) add(rec Recorded) {
	if len(r.buf) == 0 {
		return
	}
	if r.n < len(r.buf) {
		r.buf[(r.start+r.n)%len(r.buf)] = rec
		r.n++
		return
	}
	r.buf[r.start] = rec
	r.start = (r.start + 1) % len(r.buf)
}

func (r *ring) list() []Recorded {
	out := make([]Recorded, r.n)
	for i := range out {
		out[i] = r.buf[(r.start+i)%len(r.buf)]
	}
	return out
}

func (r *ring) reset() {
	clear(r.buf)
	r.start, r.n = 0, 0
}

// redactHeader clones h with credential values replaced.
func redactHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, k := range credentialHeaders {
		if out.Get(k) != "" {
			out.Set(k, redacted)
		}
	}
	return out
}

// logBody is what the log keeps of a request body: JSON with every value
// below a "secrets" key replaced by REDACTED (the keys stay, so tests can see
// that secrets were forwarded), a JSON string for anything else, and only a
// size note for large bodies.
func logBody(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	if len(b) > maxRecordedBodySize {
		return []byte(`"(` + strconv.Itoa(len(b)) + ` bytes, not recorded)"`)
	}
	body := recordedBody(b)
	if !bytes.Contains(body, []byte("secrets")) || !gjson.ValidBytes(body) {
		return body
	}
	return redactSecrets(nil, gjson.ParseBytes(body), false)
}

// redactSecrets appends v to b, replacing every scalar under a "secrets" key.
func redactSecrets(b []byte, v gjson.Result, inSecrets bool) []byte {
	switch {
	case v.IsObject():
		b = append(b, '{')
		first := true
		v.ForEach(func(k, e gjson.Result) bool {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(append(b, k.Raw...), ':')
			b = redactSecrets(b, e, inSecrets || k.String() == "secrets")
			return true
		})
		return append(b, '}')
	case v.IsArray():
		b = append(b, '[')
		for i, e := range v.Array() {
			if i > 0 {
				b = append(b, ',')
			}
			b = redactSecrets(b, e, inSecrets)
		}
		return append(b, ']')
	case inSecrets:
		return append(b, `"`+redacted+`"`...)
	default:
		return append(b, v.Raw...)
	}
}
