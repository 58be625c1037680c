package proxy

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// Polling bounds for a synchronous call the upstream answers before it is
// done (surface D5): the first wait, and the cap each wait doubles up to.
const (
	pollFirst = 250 * time.Millisecond
	pollMax   = 2 * time.Second
)

// poller returns the settle step of a ServePoll route: while e.Settled says
// the answer is not final, GET e.PollPath for it again, with growing waits,
// until the request deadline; then a legacy 504.
func (p *Proxy) poller(e translate.Endpoint) func(ctx context.Context, h http.Header, body []byte) ([]byte, error) {
	return func(ctx context.Context, h http.Header, body []byte) ([]byte, error) {
		wait := pollFirst
		for {
			id, settled := e.Settled(body)
			if settled {
				return body, nil
			}
			if id == "" {
				return nil, errorf(http.StatusBadGateway, "the upstream API answered a run without an id")
			}
			if !sleepCtx(ctx, wait) {
				if errors.Is(ctx.Err(), context.DeadlineExceeded) {
					return nil, errorf(http.StatusGatewayTimeout, "the run %s did not finish within the request deadline; "+
						"it goes on upstream and can be read with its id", id)
				}
				return nil, ctx.Err()
			}
			wait = min(wait*2, pollMax)
			next, err := p.send(ctx, call{op: "poll", method: http.MethodGet, header: h, idempotent: true,
				path: strings.ReplaceAll(e.PollPath, "{id}", url.PathEscape(id))})
			if err != nil {
				return nil, err
			}
			body = next
		}
	}
}
