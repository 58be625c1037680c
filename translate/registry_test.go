package translate

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestChangesAndGoldenCasesNameEachOther keeps the registry and the golden
// files in step: every Change names at least one existing golden case, and
// every golden case is named by at least one Change.
func TestChangesAndGoldenCasesNameEachOther(t *testing.T) {
	cases := map[string]bool{}
	for _, c := range goldenCases() {
		cases[c.name] = true
	}
	named := map[string]bool{}
	seen := map[string]bool{}
	for _, c := range Changes() {
		if seen[c.Name] {
			t.Errorf("duplicate change name %q", c.Name)
		}
		seen[c.Name] = true
		if len(c.Golden) == 0 {
			t.Errorf("change %s names no golden case", c.Name)
		}
		for _, g := range c.Golden {
			if name, ok := strings.CutPrefix(g, "webhook:"); ok {
				if _, err := os.Stat(filepath.Join("..", "webhook", "testdata", "golden", name+".new.json")); err != nil {
					t.Errorf("change %s names webhook golden case %q: %v", c.Name, name, err)
				}
				named[g] = true
				continue
			}
			if !cases[g] {
				t.Errorf("change %s names golden case %q, which does not exist", c.Name, g)
			}
			named[g] = true
		}
	}
	for name := range cases {
		if !named[name] {
			t.Errorf("golden case %s is named by no change", name)
		}
	}
	// Every webhook golden pair is named by an event change.
	events, _ := filepath.Glob(filepath.Join("..", "webhook", "testdata", "golden", "*.new.json"))
	if len(events) < 30 {
		t.Errorf("found only %d webhook golden pairs", len(events))
	}
	for _, f := range events {
		if name := "webhook:" + strings.TrimSuffix(filepath.Base(f), ".new.json"); !named[name] {
			t.Errorf("webhook golden case %s is named by no change", name)
		}
	}
	// Every golden file pair on disk is a case (no orphaned files).
	files, _ := filepath.Glob("testdata/*.legacy.json")
	for _, f := range files {
		if name := strings.TrimSuffix(filepath.Base(f), ".legacy.json"); !cases[name] {
			t.Errorf("testdata has %s but no golden case runs it", f)
		}
	}
}

// TestGoldenReportsAreDeclared runs every golden case with a Report: each
// dropped or synthesized path it exhibits must be declared by some Change
// (Reports), so a transform cannot start losing a field silently. Unknown
// client fields are the one exception: they are the client's, not a change's.
func TestGoldenReportsAreDeclared(t *testing.T) {
	exhibited := map[string]bool{}
	for _, c := range goldenCases() {
		inPath, _ := c.paths()
		in, err := os.ReadFile(inPath)
		must(t, err)
		rep := &Report{}
		c.run(t, in, rep)
		for _, p := range append(rep.Unmapped, rep.Synthesized...) {
			norm := normalizePath(p)
			exhibited[norm] = true
			if !declaresReport(p) {
				t.Errorf("golden case %s reports %s (%s), which no change declares", c.name, p, norm)
			}
		}
	}
	if len(exhibited) < 5 {
		t.Errorf("golden cases exhibit only %v: the report check is not reaching the transforms", exhibited)
	}
}

func TestReportLabelIsBounded(t *testing.T) {
	for in, want := range map[string]string{
		"files[3].fileUrl": "files.#.fileUrl", "files.3.fileUrl": "files.#.fileUrl", "initialRunAt": "initialRunAt",
		"stepRuns[12]": "stepRuns.#", "colour": "other", "files[2].outputs[0].output.total.page": "files.#.outputs.#.output.*.page", "files[0].colour": "other", "files[x].fileUrl": "other",
	} {
		if got := ReportLabel(in); got != want {
			t.Errorf("ReportLabel(%q) = %q, want %q", in, got, want)
		}
	}
	labels := reportLabelList()
	if !slices.Contains(labels, "other") || len(labels) > 100 {
		t.Errorf("labels %v", labels)
	}
}

// TestUpdateRejectsUnknownFields is the regression test for update ignoring
// translate.rejectUnknownFields: the update transform never received Options.
func TestUpdateRejectsUnknownFields(t *testing.T) {
	c := &Context{Options: Options{RejectUnknownFields: true}, Report: &Report{}}
	_, err := legacyPath.Request(RouteUpdate, c, One([]byte(`{"name":"n","colour":"blue"}`)))
	var re *RequestError
	if !errors.As(err, &re) || re.Field != "colour" {
		t.Fatalf("err = %v, want a RequestError for colour", err)
	}
	c = &Context{Report: &Report{}}
	out, err := legacyPath.Request(RouteUpdate, c, One([]byte(`{"name":"n","colour":"blue"}`)))
	must(t, err)
	if string(out.Body()) != `{"name":"n"}` || c.Name == nil || *c.Name != "n" || !slices.Equal(c.Report.Unknown, []string{"colour"}) {
		t.Errorf("body %s name %v report %+v", out.Body(), c.Name, c.Report)
	}
}

func TestPath(t *testing.T) {
	p, err := Default.Path(LegacyVersion, NewVersion)
	if err != nil || len(p) != 1 || p.Client() != LegacyVersion {
		t.Fatalf("legacy path: %v %v", p, err)
	}
	if p, err := Default.Path(NewVersion, NewVersion); err != nil || len(p) != 0 {
		t.Errorf("same version: %v %v, want an empty path (passthrough)", p, err)
	}
	for _, bad := range [][2]string{{NewVersion, LegacyVersion}, {"2024-01-01", NewVersion}, {LegacyVersion, "2099-01-01"}} {
		if _, err := Default.Path(bad[0], bad[1]); !errors.Is(err, ErrNoPath) {
			t.Errorf("Path(%s, %s) err = %v, want ErrNoPath", bad[0], bad[1], err)
		}
	}
	if Default.Latest() != NewVersion {
		t.Errorf("latest %s", Default.Latest())
	}
}

// TestThirdVersion adds a hypothetical later version whose one change renames
// one field, and checks both directions compose through the whole path.
func TestThirdVersion(t *testing.T) {
	next := &Step{From: NewVersion, To: "2027-01-01",
		Objects: map[string]map[string]string{},
		Endpoints: map[string]Endpoint{RouteGet: {Response: func(_ *Context, m Message) (Message, error) {
			return One([]byte(strings.Replace(string(m.Body()), `"state":`, `"status":`, 1))), nil
		}}},
		Changes: []Change{{Name: "status-renamed", Tag: TagDirect, Routes: []string{RouteGet}, Golden: []string{"none"},
			Description: "status is called state."}},
	}
	reg, err := NewRegistry(legacyStep, next)
	must(t, err)
	p, err := reg.Path(LegacyVersion, "2027-01-01")
	must(t, err)
	out, err := p.Response(RouteGet, &Context{}, One([]byte(`{"id":"workflow_run_1","state":"PROCESSED"}`)))
	must(t, err)
	if got := string(out.Body()); !strings.Contains(got, `"status":"PROCESSED"`) || !strings.HasPrefix(got, `{"success":true,"workflowRun":`) {
		t.Errorf("got %s", got)
	}
	if _, err := NewRegistry(next, legacyStep); err == nil {
		t.Error("a registry whose steps do not chain was accepted")
	}
}
