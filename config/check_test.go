package config

import (
	"strings"
	"testing"
)

// Regression (issue 12.10): problems came in rounds (a type error, then the
// unknown keys in Go type words, then validation). One run names them all,
// each with its line and key path, in user words.
func TestEveryProblemOfAFileInOneRun(t *testing.T) {
	doc := `listen: nope
colour: blue
fanOutConcurrency: many
timeouts:
  read: soon
  raed: 1s
  write: 2s
log:
  format: xml
  levle: debug
rollout:
  rules:
    - name: r
      mode: sideways
      percnt: 5
translate: [1, 2]
retry:
  maxAttempts: 0
`
	cfg := Default()
	d, fileErr := Decode([]byte(doc), &cfg)
	err := Explain("bad.yaml", d, fileErr, cfg.Validate())
	if err == nil {
		t.Fatal("no problems found")
	}
	got := err.Error()
	for _, want := range []string{
		`line 1: listen: "nope" is not host:port`,
		`line 2: colour: unknown setting`,
		`line 3: fanOutConcurrency: must be a whole number, not "many"`,
		`line 5: timeouts.read: "soon" is not a duration`,
		`line 6: timeouts.raed: unknown setting (did you mean "read"?)`,
		`line 7: timeouts.write (2s) must exceed timeouts.request`,
		`line 9: log.format: "xml" must be json or console`,
		`line 10: log.levle: unknown setting (did you mean "level"?); log has format, level`,
		`line 14: rollout.rules[0].mode: "sideways" must be translate, passthrough or shadow`,
		`line 15: rollout.rules[0].percnt: unknown setting (did you mean "percent"?)`,
		`line 16: translate: must be a group of settings (key: value lines), not a list`,
		`line 18: retry.maxAttempts: 0 must be between 1 and 10`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	for _, jargon := range []string{"config.Config", "!!str", "unmarshal", "field colour not found"} {
		if strings.Contains(got, jargon) {
			t.Errorf("the report uses Go words (%q):\n%s", jargon, got)
		}
	}
	if i, j := strings.Index(got, "line 1:"), strings.Index(got, "line 18:"); i < 0 || j < i {
		t.Errorf("problems are not in file order:\n%s", got)
	}
}

// Values the file sets correctly are applied even when other lines are wrong,
// and values set by flags or the environment are not placed at a file line.
func TestDecodeKeepsGoodValuesAndForgetsOverrides(t *testing.T) {
	cfg := Default()
	d, err := Decode([]byte("fanOutConcurrency: x\nmaxBodyBytes: 1234\nlisten: \":1\"\n"), &cfg)
	if err == nil || cfg.MaxBodyBytes != 1234 || cfg.Listen != ":1" {
		t.Fatalf("err %v, maxBodyBytes %d, listen %q", err, cfg.MaxBodyBytes, cfg.Listen)
	}
	if d.Line("listen") != 3 {
		t.Fatalf("listen at line %d", d.Line("listen"))
	}
	d.Forget("listen")
	if d.Line("listen") != 0 {
		t.Fatal("an overridden key still points at the file")
	}
	if _, err := Decode([]byte("listen: [\n"), &cfg); err == nil || !strings.Contains(err.Error(), "not valid YAML") {
		t.Fatalf("syntax error: %v", err)
	}
}
