package proxy

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// Regression (issue 12.1): every unknown request key became its own label
// value, so any caller could grow /metrics without limit.
func TestUnknownFieldsDoNotGrowMetricSeries(t *testing.T) {
	reg := prometheus.NewRegistry()
	e := newEnv(t, nil, func(o *Options) { o.Metrics = NewMetrics(reg) })
	const requests, perRequest = 100, 100 // 10,000 distinct keys
	for i := 0; i < requests; i++ {
		var b strings.Builder
		b.WriteString(`{"workflowId":"workflow_missing","files":[{"fileUrl":"https://x/a.pdf"`)
		for j := 0; j < perRequest/2; j++ {
			fmt.Fprintf(&b, `,"nested_%d_%d":1`, i, j)
		}
		b.WriteString(`}]`)
		for j := perRequest / 2; j < perRequest; j++ {
			fmt.Fprintf(&b, `,"junk_%d_%d":1`, i, j)
		}
		b.WriteString(`}`)
		e.legacy(http.MethodPost, "/workflow_runs", b.String())
	}
	series, total := 0, 0.0
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "extend_compat_unmapped_fields_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			series++
			total += m.GetCounter().GetValue()
		}
	}
	if total != requests*perRequest {
		t.Fatalf("counted %v unmapped fields, want %d (the keys must still be counted)", total, requests*perRequest)
	}
	// The label audit (issue 12.1): route and mode labels are the proxy's own
	// constants, code labels HTTP status codes, operation labels route names;
	// field labels are translate.ReportLabel's declared paths, "other" or
	// "unknown". Tenants and request ids are never labels.
	if series > 2 {
		t.Fatalf("%d unmapped_fields_total series after %d distinct junk keys; want them folded into \"other\"", series, requests*perRequest)
	}
}

// The UTF-8 check runs on every translated body; a valid one costs one utf8.Valid pass.
func BenchmarkInvalidUTF8ValidBody(b *testing.B) {
	body := []byte(`{"workflowId":"workflow_a","rawTexts":["` + strings.Repeat("Größe ✓ ", 64<<10) + `"]}`)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, bad := invalidUTF8(body); bad {
			b.Fatal("valid body refused")
		}
	}
}

// A client chooses the keys it sends: the access log line lists at most
// maxLoggedFields of them, each at most maxFieldLen bytes, and counts the rest.
func TestUnknownFieldsDoNotGrowTheLogLine(t *testing.T) {
	e := newEnv(t, nil)
	var b strings.Builder
	b.WriteString(`{"workflowId":"workflow_log","rawTexts":["x"]`)
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&b, `,"junk_%d_%s":1`, i, strings.Repeat("k", 500))
	}
	b.WriteString(`}`)
	wantStatus(t, e.legacy(http.MethodPost, "/workflow_runs", b.String()), 200)
	for _, l := range e.logs.FilterMessage("request").All() {
		m := l.ContextMap()
		if m["route"] != "create" {
			continue
		}
		fields, _ := m["unknown_fields"].([]interface{})
		if len(fields) != 50 || m["fields_omitted"] != int64(950) {
			t.Fatalf("logged %d unknown fields, omitted %v; want 50 and 950", len(fields), m["fields_omitted"])
		}
		for _, f := range fields {
			if len(f.(string)) > 210 {
				t.Fatalf("a logged field path is %d bytes long", len(f.(string)))
			}
		}
		return
	}
	t.Fatal("no access log line for the create")
}
