// Command loadgen sends a bounded load (fixed request count, duration cap) to
// one URL and prints throughput and latency. Use it on loopback only, e.g.:
//
//	go run ./cmd/loadgen -url http://127.0.0.1:8080/workflow_runs -n 5000 -c 16
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/extend-compat-proxy/extend-compat-proxy/internal/load"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080/workflow_runs", "target URL")
	method := flag.String("method", "GET", "HTTP method")
	body := flag.String("body", "", "request body (JSON)")
	version := flag.String("version", "2025-04-21", "x-extend-api-version header; empty sends none")
	n := flag.Int("n", 2000, "total requests")
	c := flag.Int("c", 8, "concurrency")
	max := flag.Duration("max", 60*time.Second, "duration cap")
	flag.Parse()
	h := http.Header{"Authorization": {"Bearer loadgen"}, "Content-Type": {"application/json"}}
	if *version != "" {
		h.Set("X-Extend-Api-Version", *version)
	}
	var b []byte
	if *body != "" {
		b = []byte(*body)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *c}, Timeout: 30 * time.Second}
	res := load.Run(context.Background(), client, load.Request{Method: *method, URL: *url, Body: b, Header: h}, *n, *c, *max)
	fmt.Println(res)
	if res.Errors > 0 {
		fmt.Fprintln(os.Stderr, "first error:", res.FirstErr)
		os.Exit(1)
	}
}
