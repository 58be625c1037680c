package webhook

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// FuzzConvert: any body a signed sender could post never panics the routing
// and translation, and whatever is delivered is valid JSON exactly as
// JSON.stringify would print it.
func FuzzConvert(f *testing.F) {
	files, _ := filepath.Glob("testdata/golden/*.new.json")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Add([]byte(`{"eventId":"e","eventType":"workflow_run.step_run.processed","payload":{"stepType":"RULE_VALIDATION"}}`))
	f.Add([]byte(`{"eventId":"e","eventType":"extract_run.processed","payload":[1,2]}`))
	dests := []*dest{
		resolve(Destination{Name: "a", NewSecrets: []Secret{"n"}}.withDefaults()),
		resolve(Destination{Name: "b", NewSecrets: []Secret{"n"}, StepRunOthers: "run", CancelledAs: "failed"}.withDefaults()),
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, msg := parseEvent(body)
		if msg != "" {
			return
		}
		for _, d := range dests {
			legacyType, drop := d.route(sourceNew, ev.Get("eventType").Str, ev.Get("payload"))
			if drop != "" {
				continue
			}
			ch := LookupChange(ev.Get("eventType").Str)
			fetch := func(string) ([]byte, error) { return []byte(ev.Get("payload").Raw), nil }
			payload, err := d.legacyPayload(ch, []byte(ev.Get("payload").Raw), translate.Options{}, fetch)
			if err != nil {
				continue
			}
			out := envelope(ev.Get("eventId").Str, legacyType, payload)
			if !json.Valid(out) {
				t.Fatalf("invalid JSON delivered: %s", out)
			}
			if again := stringify(gjson.ParseBytes(out)); string(again) != string(out) {
				t.Fatalf("not in JSON.stringify form:\n%s\n%s", out, again)
			}
		}
	})
}

// FuzzStringify: stringify of any valid JSON is valid JSON, the same value,
// and a fixed point.
func FuzzStringify(f *testing.F) {
	for _, s := range []string{`{"a":"<&>","b":[1,1.5e-7,1e21,-0,12345678901234567890]}`, `"\u2028\ud800"`, `[{"a":1,"a":2}]`, `1E+2`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if !gjson.ValidBytes(in) || !json.Valid(in) {
			return
		}
		out := stringify(gjson.ParseBytes(in))
		if !json.Valid(out) {
			t.Fatalf("invalid: %s -> %s", in, out)
		}
		if again := stringify(gjson.ParseBytes(out)); string(again) != string(out) {
			t.Fatalf("not a fixed point: %s -> %s -> %s", in, out, again)
		}
	})
}
