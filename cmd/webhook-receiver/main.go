// Command webhook-receiver is a tiny legacy (2025-04-21) webhook receiver for
// trying the relay: it verifies x-extend-request-signature the way the
// 2025-04-21 docs describe (HMAC-SHA256 over v0:{timestamp}:{body}), answers
// 200 or 401, and prints one line per event.
//
//	go run ./cmd/webhook-receiver --secret receiver-secret --listen 127.0.0.1:9999
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tidwall/gjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/webhook"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, nil); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "webhook-receiver:", err)
		os.Exit(1)
	}
}

// run serves until ctx ends; ready (if not nil) receives the bound address.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready chan<- string) error {
	fs := flag.NewFlagSet("webhook-receiver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:9999", "address to listen on")
	secret := fs.String("secret", "", "signing secret to verify with (env WEBHOOK_RECEIVER_SECRET)")
	tolerance := fs.Duration("tolerance", 5*time.Minute, "maximum age of x-extend-request-timestamp; 0 disables")
	full := fs.Bool("print-body", false, "print each event's whole body, not a summary")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *secret == "" {
		*secret = getenv("WEBHOOK_RECEIVER_SECRET")
	}
	if *secret == "" {
		return errors.New("--secret (or WEBHOOK_RECEIVER_SECRET) is required")
	}
	h := handler(*secret, *tolerance, *full, stdout)
	srv := &http.Server{Addr: *listen, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	ln, err := listenTCP(*listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// handler verifies and prints each event.
func handler(secret string, tolerance time.Duration, full bool, out io.Writer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
		if err != nil {
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		if err := webhook.Verify(r.Header, body, []string{secret}, tolerance, time.Now()); err != nil {
			fmt.Fprintf(out, "REJECTED %s: %v\n", r.URL.Path, err)
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		ev := gjson.ParseBytes(body)
		if full {
			fmt.Fprintf(out, "%s\n", body)
		} else {
			p := ev.Get("payload")
			fmt.Fprintf(out, "%s %s payload=%s id=%s status=%s\n", ev.Get("eventId").Str, ev.Get("eventType").Str,
				p.Get("object").Str, p.Get("id").Str, p.Get("status").Str)
		}
		w.WriteHeader(http.StatusOK)
	})
}
