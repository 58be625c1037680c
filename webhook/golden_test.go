package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

var update = flag.Bool("update", false, "rewrite the golden .legacy.json files")

// goldenCase is one 2026 event in testdata/golden and what a destination
// with the given options makes of it: a golden legacy event, or a drop.
type goldenCase struct {
	name   string // testdata/golden/<name>.new.json
	opts   func(*Destination)
	out    string // golden legacy file stem; "" means dropped
	reason string // drop reason code (reasonCode) when dropped
}

func stepRunAsRun(d *Destination)    { d.StepRunPayload = "run" }
func othersAsRun(d *Destination)     { d.StepRunOthers = "run" }
func cancelledFailed(d *Destination) { d.CancelledAs = "failed" }

// goldenCases covers every row of S§9.3.
var goldenCases = func() []goldenCase {
	c := []goldenCase{
		{name: "workflow_run_cancelled", reason: "cancelled"},
		{name: "workflow_run_cancelled", opts: cancelledFailed, out: "workflow_run_cancelled.as_failed"},
		{name: "step_run_rule_validation", out: "step_run_rule_validation"},
		{name: "step_run_external_validation", out: "step_run_external_validation"},
		{name: "step_run_extract", reason: "step_type"},
		{name: "step_run_extract", opts: othersAsRun, out: "step_run_extract.run"},
		{name: "step_run_rule_validation", opts: stepRunAsRun, out: "step_run_rule_validation.run"},
		{name: "batch_processor_run_processed", reason: "no_legacy_event"},
		{name: "batch_parse_run_failed", reason: "no_legacy_event"},
		{name: "edit_run_processed", reason: "no_legacy_event"},
		{name: "batch_processor_run_failed", reason: "no_legacy_event"},
		{name: "batch_parse_run_processed", reason: "no_legacy_event"},
		{name: "edit_run_failed", reason: "no_legacy_event"},
	}
	for _, n := range []string{"workflow_run_completed", "workflow_run_failed", "workflow_run_needs_review",
		"workflow_run_rejected", "extract_run_processed", "extract_run_failed", "classify_run_processed",
		"classify_run_failed", "split_run_processed", "split_run_failed", "parse_run_processed", "parse_run_failed",
		"workflow_created", "workflow_deployed", "workflow_deleted"} {
		c = append(c, goldenCase{name: n, out: n})
	}
	for _, k := range []string{"extractor", "classifier", "splitter"} {
		for _, s := range []string{"created", "updated", "deleted", "draft_updated", "version_published"} {
			c = append(c, goldenCase{name: k + "_" + s, out: k + "_" + s})
		}
	}
	return c
}()

// convertForTest runs what ingestion (route) and delivery (legacyBody) do.
func convertForTest(t *testing.T, d *dest, event []byte) (out []byte, reason string, err error) {
	t.Helper()
	ev := gjson.ParseBytes(event)
	legacyType, drop := d.route(sourceNew, ev.Get("eventType").Str, ev.Get("payload"))
	if drop != "" {
		return nil, reasonCode(drop), nil
	}
	ch := LookupChange(ev.Get("eventType").Str)
	fetch := func(id string) ([]byte, error) {
		run, err := os.ReadFile("../translate/testdata/get_full.new.json")
		if gjson.GetBytes(run, "id").Str != id {
			return nil, errors.New("unknown run " + id)
		}
		return run, err
	}
	payload, err := d.legacyPayload(ch, []byte(ev.Get("payload").Raw), translate.Options{}, fetch)
	if err != nil {
		return nil, "", err
	}
	return envelope(ev.Get("eventId").Str, legacyType, payload), "", nil
}

func TestGoldenEvents(t *testing.T) {
	covered := map[string]bool{}
	for _, gc := range goldenCases {
		t.Run(gc.name+"/"+gc.out, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join("testdata/golden", gc.name+".new.json"))
			if err != nil {
				t.Fatal(err)
			}
			covered[gjson.GetBytes(in, "eventType").Str] = true
			dd := Destination{Name: "orders", URL: "http://x", Secret: "s", NewSecrets: []Secret{"n"}}
			if gc.opts != nil {
				gc.opts(&dd)
			}
			out, reason, err := convertForTest(t, resolve(dd.withDefaults()), in)
			if err != nil {
				t.Fatal(err)
			}
			if gc.out == "" {
				if reason != gc.reason {
					t.Fatalf("dropped with %q, want %q", reason, gc.reason)
				}
				return
			}
			if reason != "" {
				t.Fatalf("dropped (%s), want delivered", reason)
			}
			checkGolden(t, filepath.Join("testdata/golden", gc.out+".legacy.json"), out)
		})
	}
	for _, ch := range EventChanges {
		if !covered[ch.New] {
			t.Errorf("no golden case for %s", ch.New)
		}
	}
}

// checkGolden compares a delivered body with the golden file: the body must
// be exactly JSON.stringify of the golden value (same keys, order, values).
func checkGolden(t *testing.T, path string, out []byte) {
	t.Helper()
	if *update {
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, out, "", "  "); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(pretty.Bytes(), '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if w := stringify(gjson.ParseBytes(want)); !bytes.Equal(out, w) {
		t.Errorf("%s differs:\n got %s\nwant %s", path, out, w)
	}
	if strings.Contains(string(out), `\u0026`) || strings.Contains(string(out), `\u003c`) {
		t.Errorf("HTML-escaped output: %s", out)
	}
}

func TestEventChangesTable(t *testing.T) {
	seen := map[string]bool{}
	for _, ch := range EventChanges {
		if seen[ch.New] {
			t.Errorf("%s listed twice", ch.New)
		}
		seen[ch.New] = true
		if ch.Legacy != "" && !IsLegacyEventType(ch.Legacy) {
			t.Errorf("%s maps to %s, not a legacy event type", ch.New, ch.Legacy)
		}
		if ch.Description == "" {
			t.Errorf("%s has no description", ch.New)
		}
	}
	// S§9.2 lists 38 2026-02-09 event types.
	if len(EventChanges) != 38 {
		t.Errorf("%d event changes, want the 38 of S§9.2", len(EventChanges))
	}
}
