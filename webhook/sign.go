package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Signing headers (S§9.4); both API versions use the same scheme.
const (
	HeaderTimestamp = "x-extend-request-timestamp"
	HeaderSignature = "x-extend-request-signature"
)

// MaxFutureSkew is how far in the future an inbound timestamp may be, as the new SDK allows.
const MaxFutureSkew = 60 * time.Second

// Errors of Verify; each is a 401 and safe to show (none carries a secret).
var (
	ErrMissingSignature = errors.New("missing x-extend-request-timestamp or x-extend-request-signature")
	ErrBadTimestamp     = errors.New("x-extend-request-timestamp is not a Unix time in seconds")
	ErrStale            = errors.New("timestamp is older than the tolerance")
	ErrFuture           = errors.New("timestamp is more than 60s in the future")
	ErrBadSignature     = errors.New("signature does not match")
)

// Sign returns the lowercase hex HMAC-SHA256 of "v0:{timestamp}:{body}" keyed
// with the secret as UTF-8 bytes.
func Sign(secret string, timestamp int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v0:" + strconv.FormatInt(timestamp, 10) + ":"))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// SignHeaders sets fresh timestamp and signature headers for body.
func SignHeaders(h http.Header, secret string, now time.Time, body []byte) {
	ts := now.Unix()
	h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	h.Set(HeaderSignature, Sign(secret, ts, body))
}

// Verify checks the signature headers of an inbound event against any of the
// secrets (several allow rotation). tolerance is the maximum age; 0 disables
// the age check (as maxAgeSeconds: 0 does in the SDK), never the future check.
func Verify(h http.Header, body []byte, secrets []string, tolerance time.Duration, now time.Time) error {
	tsText, sigText := h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if tsText == "" || sigText == "" {
		return ErrMissingSignature
	}
	ts, err := strconv.ParseInt(strings.TrimSpace(tsText), 10, 64)
	if err != nil {
		return ErrBadTimestamp
	}
	at := time.Unix(ts, 0)
	if tolerance > 0 && now.Sub(at) > tolerance {
		return ErrStale
	}
	if at.Sub(now) > MaxFutureSkew {
		return ErrFuture
	}
	got, err := hex.DecodeString(strings.ToLower(strings.TrimSpace(sigText)))
	if err != nil || len(got) != sha256.Size {
		return ErrBadSignature
	}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		want, _ := hex.DecodeString(Sign(s, ts, body))
		if hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrBadSignature
}
