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

// APIError is an error answer before it is rendered: the status, a message
// safe to show to the client, and a machine-readable code when there is one.
type APIError struct {
	Status  int
	Message string
	// Code is one of the legacy 400 codes for legacy clients, or an ApiError
	// code for newer ones; "" when none applies.
	Code string
}

// UpstreamError reads an upstream error body (any content type) into the
// APIError a legacy client sees (mapping §4.10). An ApiError gives its message
// (plus " (requestId …)" when it has one); a 400 keeps code only when it is
// one of the four legacy codes ([silent]: the new codes are not listed
// anywhere). A non-JSON body gives its text, at most 1 KiB, or the reason phrase.
func UpstreamError(status int, contentType string, body []byte) APIError {
	trimmed := trimSpace(body)
	if gjson.ValidBytes(trimmed) {
		if root := gjson.ParseBytes(trimmed); root.IsObject() {
			return apiError(status, root)
		}
	}
	msg := reasonPhrase(status)
	// [silent] HTML error pages (load balancers, gateways) carry markup, not
	// a message, so they get the reason phrase too.
	if len(trimmed) > 0 && !strings.Contains(strings.ToLower(contentType), "html") {
		msg = truncateUTF8(string(trimmed), maxRawError)
	}
	return APIError{Status: status, Message: msg}
}

// apiError reads a JSON error object: an ApiError's message, or an
// already-legacy {error}; anything else gets the reason phrase.
func apiError(status int, root gjson.Result) APIError {
	e := APIError{Status: status, Message: reasonPhrase(status)}
	if m := root.Get("message"); m.Type == gjson.String && m.Str != "" {
		e.Message = m.Str
	} else if m := root.Get("error"); m.Type == gjson.String && m.Str != "" {
		e.Message = m.Str
	}
	if id := root.Get("requestId"); id.Type == gjson.String && id.Str != "" {
		e.Message += " (requestId " + id.Str + ")"
	}
	if code := root.Get("code"); status == 400 && code.Type == gjson.String {
		for _, c := range legacyErrorCodes {
			if code.Str == c {
				e.Code = c
			}
		}
	}
	return e
}

// RenderError writes e in the error shape of the client's API version: the
// legacy {success:false, error[, code]} for 2025-04-21, an ApiError
// {code, message, retryable, requestId} for every later version.
func RenderError(clientVersion string, e APIError, requestID string) []byte {
	if clientVersion == LegacyVersion {
		w := openObj(make([]byte, 0, len(e.Message)+48))
		w.raw("success", "false")
		w.str("error", e.Message)
		if e.Code != "" && e.Status == 400 {
			w.str("code", e.Code)
		}
		return w.close()
	}
	code := e.Code
	if code == "" {
		code = apiErrorCode(e.Status)
	}
	w := openObj(make([]byte, 0, len(e.Message)+96))
	w.str("code", code)
	w.str("message", e.Message)
	w.raw("retryable", strconv.FormatBool(e.Status >= 500 || e.Status == 429 || e.Status == 408))
	if requestID != "" {
		w.str("requestId", requestID)
	}
	return w.close()
}

// apiErrorCode names the proxy's own answers to newer clients.
func apiErrorCode(status int) string {
	switch status {
	case 400:
		return "INVALID_REQUEST"
	case 404:
		return "NOT_FOUND"
	case 408:
		return "REQUEST_TIMEOUT"
	case 413:
		return "REQUEST_TOO_LARGE"
	case 431:
		return "REQUEST_HEADERS_TOO_LARGE"
	case 504:
		return "UPSTREAM_TIMEOUT"
	}
	return "UPSTREAM_UNAVAILABLE"
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
