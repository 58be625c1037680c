package webhook

import (
	"os"
	"testing"
	"time"

	"github.com/tidwall/sjson"
)

// TestShadowMode: legacy events are delivered; translated 2026 events are
// compared with them (match, mismatch with its paths), never delivered; a
// half without its pair within the window is unmatched on its side.
func TestShadowMode(t *testing.T) {
	rc := newReceiver(t)
	cfg := testConfig(t, rc.srv.URL)
	cfg.Destinations[0].Mode = ModeShadow
	// The window is wide enough for a loaded machine (-race, parallel
	// packages) to post both halves of a pair within it: at 300 ms a slow
	// second post expired the first half and the pair was never matched.
	// The unpaired halves below are counted once it has passed.
	r, srv := startRelay(t, Options{Config: cfg, ShadowWindow: 3 * time.Second})
	post := func(path, secret string, body []byte) {
		if code, b := signedPost(t, srv.URL+path, secret, time.Now(), body); code != 200 {
			t.Fatalf("%d %s", code, b)
		}
	}
	legacy, _ := os.ReadFile("testdata/golden/extract_run_processed.legacy.json")
	post("/webhooks/orders/legacy", testLegacySecret, legacy)
	post("/webhooks/orders", testNewSecret, goldenEvent(t, "extract_run_processed"))
	// A legacy event that differs outside the lossy paths.
	changed, _ := sjson.SetBytes(legacy, "payload.status", "FAILED")
	changed, _ = sjson.SetBytes(changed, "eventType", "processor_run.failed")
	changed, _ = sjson.SetBytes(changed, "eventId", "evt_legacy_failed")
	post("/webhooks/orders/legacy", testLegacySecret, changed)
	post("/webhooks/orders", testNewSecret, goldenEvent(t, "extract_run_failed"))
	// Halves without a pair.
	post("/webhooks/orders", testNewSecret, goldenEvent(t, "parse_run_processed"))
	lw, _ := os.ReadFile("testdata/golden/workflow_created.legacy.json")
	post("/webhooks/orders/legacy", testLegacySecret, lw)
	eventually(t, 15*time.Second, "shadow results", func() bool {
		rep := r.ShadowReport()
		return rep["processor_run.processed"].Match == 1 && rep["processor_run.failed"].Mismatch == 1 &&
			rep["parser_run.processed"].UnmatchedNew == 1 && rep["workflow.created"].UnmatchedLegacy == 1
	})
	rep := r.ShadowReport()
	paths := map[string]bool{}
	for _, p := range rep["processor_run.failed"].TopPaths {
		paths[p.Path] = true
	}
	// The legacy side says FAILED but keeps the processed output; the translated failed run has neither output nor
	// the same failure fields.
	if !paths["payload.output"] || paths["payload.status"] || paths["payload.processorId"] {
		t.Fatalf("mismatch paths %+v", rep["processor_run.failed"].TopPaths)
	}
	eventually(t, 5*time.Second, "3 legacy deliveries", func() bool { return rc.count() == 3 })
	time.Sleep(200 * time.Millisecond)
	if rc.count() != 3 {
		t.Fatalf("%d deliveries: shadow mode must deliver only the legacy events", rc.count())
	}
}
