package translate

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// maxRawError caps how much of a non-JSON upstream body reaches the client.
const maxRawError = 1024

// legacyErrorCodes is the closed BadRequestErrorBody.code enum (L§5.2).
var legacyErrorCodes = []string{"FILE_TYPE_NOT_SUPPORTED", "FILE_SIZE_TOO_LARGE", "CORRUPT_FILE", "PASSWORD_PROTECTED_FILE"}

// ErrorBody turns an upstream error body (any content type) into the legacy
// {success:false, error[, code]} (mapping §4.10). The status itself is passed
// through by the caller. An ApiError gives its message (plus " (requestId …)"
// when it has one); a 400 keeps code only when it is one of the four legacy
// codes ([silent]: the new codes are not listed anywhere).
func ErrorBody(status int, contentType string, body []byte) []byte {
	trimmed := trimSpace(body)
	if gjson.ValidBytes(trimmed) {
		if root := gjson.ParseBytes(trimmed); root.IsObject() {
			return apiErrorBody(status, root)
		}
	}
	msg := reasonPhrase(status)
	// [silent] HTML error pages (load balancers, gateways) carry markup, not
	// a message, so they get the reason phrase too.
	if len(trimmed) > 0 && !strings.Contains(strings.ToLower(contentType), "html") {
		msg = truncateUTF8(string(trimmed), maxRawError)
	}
	return LegacyError(msg)
}

// apiErrorBody renders a JSON error object: an ApiError's message, or an
// already-legacy {error}; anything else gets the reason phrase.
func apiErrorBody(status int, root gjson.Result) []byte {
	msg := reasonPhrase(status)
	if m := root.Get("message"); m.Type == gjson.String && m.Str != "" {
		msg = m.Str
	} else if e := root.Get("error"); e.Type == gjson.String && e.Str != "" {
		msg = e.Str
	}
	if id := root.Get("requestId"); id.Type == gjson.String && id.Str != "" {
		msg += " (requestId " + id.Str + ")"
	}
	w := openObj(make([]byte, 0, len(msg)+48))
	w.raw("success", "false")
	w.str("error", msg)
	if code := root.Get("code"); status == 400 && code.Type == gjson.String {
		for _, c := range legacyErrorCodes {
			if code.Str == c {
				w.str("code", c)
			}
		}
	}
	return w.close()
}

// LegacyError renders {success:false, error:msg}.
func LegacyError(msg string) []byte {
	w := openObj(make([]byte, 0, len(msg)+32))
	w.raw("success", "false")
	w.str("error", msg)
	return w.close()
}

// truncateUTF8 cuts s to at most n bytes without splitting a rune.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// reasonPhrases is a local copy of the common HTTP reason phrases, so this
// package stays free of net/http.
var reasonPhrases = map[int]string{
	400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
	404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout", 409: "Conflict",
	410: "Gone", 413: "Request Entity Too Large", 415: "Unsupported Media Type",
	422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error",
	501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}

// reasonPhrase names a status, falling back to "HTTP <status>" for unknown ones.
func reasonPhrase(status int) string {
	if p, ok := reasonPhrases[status]; ok {
		return p
	}
	return "HTTP " + strconv.Itoa(status)
}
