// Package load is a small bounded load generator for loopback measurements:
// a fixed number of requests (and a duration cap) at a fixed concurrency.
package load

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Request describes what each worker sends.
type Request struct {
	Method string
	URL    string
	Body   []byte
	Header http.Header
}

// Result summarises a run.
type Result struct {
	Requests  int
	Errors    int // transport errors and non-2xx answers
	FirstErr  string
	Elapsed   time.Duration
	P50, P99  time.Duration
	PerSecond float64
}

func (r Result) String() string {
	return fmt.Sprintf("%d requests, %d errors, %.0f req/s, p50 %s, p99 %s", r.Requests, r.Errors, r.PerSecond,
		r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond))
}

// Run sends n requests with the given concurrency, stopping early at maxDuration.
func Run(ctx context.Context, client *http.Client, req Request, n, concurrency int, maxDuration time.Duration) Result {
	ctx, cancel := context.WithTimeout(ctx, maxDuration)
	defer cancel()
	var (
		next     atomic.Int64
		errs     atomic.Int64
		mu       sync.Mutex
		lat      = make([]time.Duration, 0, n)
		firstErr atomic.Value
		wg       sync.WaitGroup
	)
	start := time.Now()
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) && ctx.Err() == nil {
				t := time.Now()
				if err := once(ctx, client, req); err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				mu.Lock()
				lat = append(lat, time.Since(t))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	res := Result{Requests: len(lat) + int(errs.Load()), Errors: int(errs.Load()), Elapsed: elapsed}
	if v, ok := firstErr.Load().(string); ok {
		res.FirstErr = v
	}
	if len(lat) > 0 {
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		res.P50, res.P99 = lat[len(lat)/2], lat[len(lat)*99/100]
		res.PerSecond = float64(len(lat)) / elapsed.Seconds()
	}
	return res
}

func once(ctx context.Context, client *http.Client, r Request) error {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return err
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}
