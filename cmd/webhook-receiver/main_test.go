package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/extend-compat-proxy/extend-compat-proxy/webhook"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestReceiverVerifiesAndPrints(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuf
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--secret", "s3"}, func(string) string { return "" }, &out, &out, ready)
	}()
	addr := <-ready
	body := []byte(`{"eventId":"evt_1","eventType":"workflow_run.completed","payload":{"object":"workflow_run","id":"wr_1","status":"PROCESSED"}}`)
	post := func(secret string) int {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/", bytes.NewReader(body))
		webhook.SignHeaders(req.Header, secret, time.Now(), body)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if post("s3") != 200 || post("wrong") != 401 {
		t.Fatal("verification")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	o := out.String()
	if !strings.Contains(o, "evt_1 workflow_run.completed payload=workflow_run id=wr_1 status=PROCESSED") ||
		!strings.Contains(o, "REJECTED /: signature does not match") {
		t.Fatalf("output:\n%s", o)
	}
	if err := run(context.Background(), nil, func(string) string { return "" }, &out, &out, nil); err == nil {
		t.Fatal("no secret accepted")
	}
}
