package proxy

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// readBody reads the (size-limited) client body of a translated request and
// refuses what must not go upstream: a body that stalls (408) and strings
// that are not valid UTF-8 (400), which the upstream would silently turn into U+FFFD.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, bodyReadError(err)
	}
	if field, ok := invalidUTF8(b); ok {
		return nil, &Error{Status: http.StatusBadRequest, Message: field + " is not valid UTF-8"}
	}
	return b, nil
}

// bodyReadError classifies a failed body read: the server's read deadline
// passing mid-body means the client did not send what it announced (408).
func bodyReadError(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return &Error{Status: http.StatusRequestTimeout, Message: "the request body was not received in time", Cause: err}
	}
	return err
}

// invalidUTF8 reports the first JSON path (key or string value) holding bytes
// that are not UTF-8; "request body" when the body is not JSON.
func invalidUTF8(b []byte) (string, bool) {
	if utf8.Valid(b) {
		return "", false
	}
	if !gjson.ValidBytes(b) {
		return "request body", true
	}
	if p, ok := findInvalid(gjson.ParseBytes(b), ""); ok {
		return p, true
	}
	return "request body", true
}

func findInvalid(v gjson.Result, path string) (string, bool) {
	var found string
	switch {
	case v.IsObject():
		v.ForEach(func(k, e gjson.Result) bool {
			kp := joinField(path, k.String())
			if !utf8.ValidString(k.Raw) {
				found = "the key " + strings.ToValidUTF8(kp, "\uFFFD")
				return false
			}
			found, _ = findInvalid(e, kp)
			return found == ""
		})
	case v.IsArray():
		for i, e := range v.Array() {
			if found, _ = findInvalid(e, path+"["+strconv.Itoa(i)+"]"); found != "" {
				break
			}
		}
	case !utf8.ValidString(v.Raw):
		found = path
	}
	return found, found != ""
}

func joinField(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}
