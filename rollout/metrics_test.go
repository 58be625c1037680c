package rollout

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// decisionCounts gathers rollout_decisions_total as "route mode reason" → count.
func decisionCounts(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != "extend_compat_rollout_decisions_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			l := map[string]string{}
			for _, p := range m.GetLabel() {
				l[p.GetName()] = p.GetValue()
			}
			got[l["route"]+" "+l["mode"]+" "+l["reason"]] += m.GetCounter().GetValue()
		}
	}
	return got
}

// TestDecisionsAreCountedPerLabelSet: the cached counter children count each
// decision once, under its own route, mode and reason, across a config
// change that moves the same route to another series.
func TestDecisionsAreCountedPerLabelSet(t *testing.T) {
	reg := prometheus.NewRegistry()
	cfg := DefaultConfig()
	cfg.Rules = []Rule{{Name: "half", Routes: []string{"create"}, Mode: Passthrough}}
	c, err := New(cfg, reg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		c.Decide("get", "Bearer a", "")
	}
	c.Decide("create", "Bearer a", "")
	cfg.KillSwitch = true
	if err := c.Update(cfg); err != nil {
		t.Fatal(err)
	}
	c.Decide("get", "Bearer a", "")
	c.Decide("get", "Bearer b", "")
	want := map[string]float64{
		"get translate default":       3,
		"create passthrough rule":     1,
		"get passthrough kill-switch": 2,
	}
	got := decisionCounts(t, reg)
	if len(got) != len(want) {
		t.Fatalf("series %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
}
