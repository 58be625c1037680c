package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// SignedURLTimeout bounds the fetch of a signed-URL payload, as the new SDK's fetchSignedPayload does.
const SignedURLTimeout = 30 * time.Second

// maxFetchedBytes caps a fetched payload (signed URL or completed run).
const maxFetchedBytes = 64 << 20

// fetcher returns the GET /workflow_runs/{id} completion call, nil when the
// relay has no upstream. Errors are transient: the delivery is retried.
func (r *Relay) fetcher(ctx context.Context, timeout time.Duration) fetchRun {
	if r.opt.Upstream == nil {
		return nil
	}
	return func(id string) ([]byte, error) {
		u := r.opt.Upstream.JoinPath("workflow_runs", id)
		h := http.Header{"X-Extend-Api-Version": {translate.NewVersion}}
		if k := r.opt.Config.APIKey.Resolve(); k != "" {
			h.Set("Authorization", "Bearer "+k)
		}
		if r.opt.WorkspaceID != "" {
			h.Set("X-Extend-Workspace-Id", r.opt.WorkspaceID)
		}
		body, err := r.get(ctx, u.String(), h, timeout)
		if err != nil {
			return nil, fmt.Errorf("completing workflow run %s: %w", id, err)
		}
		return body, nil
	}
}

// get performs a plain GET and returns a 2xx JSON body.
func (r *Relay) get(ctx context.Context, target string, h http.Header, timeout time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, errors.New("invalid URL")
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, errors.New(safeNetError(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxFetchedBytes+1))
	if err != nil {
		return nil, errors.New("reading the body failed")
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	if len(body) > maxFetchedBytes || !gjson.ValidBytes(body) {
		return nil, errors.New("the body is not JSON (or too large)")
	}
	return body, nil
}

// resolveSignedURL replaces a signed_data_url payload with the JSON it points to.
func (r *Relay) resolveSignedURL(ctx context.Context, event []byte) ([]byte, error) {
	p := gjson.GetBytes(event, "payload")
	if p.Get("object").String() != "signed_data_url" {
		return event, nil
	}
	data, err := r.get(ctx, p.Get("data").String(), nil, SignedURLTimeout)
	if err != nil {
		return nil, err
	}
	out := append([]byte(nil), event[:p.Index]...)
	out = append(out, data...)
	return append(out, event[p.Index+len(p.Raw):]...), nil
}

// PayloadTokenTTL is how long a legacy signed payload URL works, as the 2025-04-21 docs say.
const PayloadTokenTTL = time.Hour

// payloadURLObject is the legacy signed-URL payload {"data": URL} for a stored event.
func (r *Relay) payloadURLObject(d *dest, jobID int64) []byte {
	tok := r.payloadToken(d, jobID, time.Now().Add(PayloadTokenTTL))
	u := strings.TrimRight(r.opt.Config.PublicBaseURL, "/") + "/webhooks/payloads/" + tok
	return append(append([]byte(`{"data":`), appendJSString(nil, u)...), '}')
}

// payloadToken is "{dest}.{jobID}.{expiry}.{mac}", the MAC keyed with the
// destination's signing secret so that only this relay can mint it.
func (r *Relay) payloadToken(d *dest, jobID int64, exp time.Time) string {
	msg := d.Name + "." + strconv.FormatInt(jobID, 10) + "." + strconv.FormatInt(exp.Unix(), 10)
	m := hmac.New(sha256.New, []byte("payload-url:"+d.secret))
	m.Write([]byte(msg))
	return msg + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// errBadToken is any invalid, forged or expired payload token (404 to the caller).
var errBadToken = errors.New("unknown or expired payload URL")

// checkPayloadToken returns the destination and job of a valid token.
func (r *Relay) checkPayloadToken(tok string, now time.Time) (*dest, int64, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 4 {
		return nil, 0, errBadToken
	}
	d := r.dests[parts[0]]
	id, err1 := strconv.ParseInt(parts[1], 10, 64)
	exp, err2 := strconv.ParseInt(parts[2], 10, 64)
	if d == nil || err1 != nil || err2 != nil {
		return nil, 0, errBadToken
	}
	want := r.payloadToken(d, id, time.Unix(exp, 0))
	if !hmac.Equal([]byte(want), []byte(tok)) || now.After(time.Unix(exp, 0)) {
		return nil, 0, errBadToken
	}
	return d, id, nil
}
