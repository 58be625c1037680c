// Command benchupstream is the static upstream of scripts/bench.sh: it
// answers GET /workflow_runs/{id} with the bytes of DIR/{id}.json, read into
// memory at start, like nginx serving a fixed file. Anything else is 404.
//
//	go run ./cmd/benchupstream -listen 127.0.0.1:18080 -dir translate/testdata/perf
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:18080", "address to serve on (keep it on loopback)")
	dir := flag.String("dir", "translate/testdata/perf", "folder of <id>.json bodies")
	latency := flag.Duration("latency", 0, "delay before every answer (fan-out runs use 100ms)")
	flag.Parse()
	bodies := map[string][]byte{}
	paths, err := filepath.Glob(filepath.Join(*dir, "*.json"))
	if err != nil || len(paths) == 0 {
		log.Fatalf("benchupstream: no *.json in %s", *dir)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			log.Fatal(err)
		}
		bodies[strings.TrimSuffix(filepath.Base(p), ".json")] = b
	}
	h := func(w http.ResponseWriter, r *http.Request) {
		if *latency > 0 {
			time.Sleep(*latency)
		}
		b, ok := bodies[r.PathValue("id")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		_, _ = w.Write(b)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /workflow_runs/{id}", h)
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
