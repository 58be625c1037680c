// Command benchpass is the yardstick of scripts/bench.sh: a bare
// httputil.ReverseProxy with no translation, logging, metrics or routing, so
// the proxy's cost can be read as a ratio against it on the same machine.
//
//	go run ./cmd/benchpass -listen 127.0.0.1:18081 -upstream http://127.0.0.1:18080
package main

import (
	"flag"
	"io"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:18081", "address to serve on (keep it on loopback)")
	upstream := flag.String("upstream", "http://127.0.0.1:18080", "upstream base URL")
	flag.Parse()
	u, err := url.Parse(*upstream)
	if err != nil || u.Host == "" {
		log.Fatalf("benchpass: bad -upstream %q", *upstream)
	}
	// The same pool size the proxy's upstream transport uses, so neither side wins on connection reuse.
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 256, 64
	rp := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(u) }, Transport: t,
		// wrk hangs up mid-answer when a round ends; those are not errors worth printing.
		ErrorLog: log.New(io.Discard, "", 0)}
	srv := &http.Server{Addr: *listen, Handler: rp, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
