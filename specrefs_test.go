package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// specFiles names the spec each citation prefix refers to. A bare "§" or
// "mapping §" is mapping.md; "L§" the legacy API, "N§" the new API, "S§" or
// "surface §" the rest of the legacy surface.
var specFiles = map[string]string{
	"":        "docs/spec/mapping.md",
	"mapping": "docs/spec/mapping.md",
	"L":       "docs/spec/legacy-2025-04-21.md",
	"N":       "docs/spec/new-2026-02-09.md",
	"S":       "docs/spec/surface-2026-02-09.md",
	"surface": "docs/spec/surface-2026-02-09.md",
}

// citation matches "mapping §3.1.5", "L§4.10", "N§11", "§4.5.2" and the like.
var citation = regexp.MustCompile(`(?:\b(mapping|surface) |\b([LNS]))?§ ?([0-9]+(?:\.[0-9]+)*)`)

// rfc matches text that ends in an RFC number, whose sections are not ours.
var rfc = regexp.MustCompile(`RFC ?[0-9]+,? *$`)

// heading matches a Markdown heading that starts with a section number.
var heading = regexp.MustCompile(`^#+ +(?:Appendix +)?([0-9]+(?:\.[0-9]+)*)\.? `)

// TestSpecCitationsResolve keeps every "§" reference in the code pointing at a
// section that exists in the specs under docs/spec, so a fresh clone can
// follow each one.
func TestSpecCitationsResolve(t *testing.T) {
	sections := map[string]map[string]bool{}
	for _, f := range specFiles {
		if sections[f] == nil {
			sections[f] = readSections(t, f)
		}
	}
	checked := 0
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || d.Name() == "docs" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, loc := range citation.FindAllStringSubmatchIndex(line, -1) {
				if rfc.MatchString(line[:loc[0]]) {
					continue // "RFC 9110 §5.6.2" cites an RFC, not our specs
				}
				m := make([]string, 4)
				for g := range m {
					if loc[2*g] >= 0 {
						m[g] = line[loc[2*g]:loc[2*g+1]]
					}
				}
				prefix := m[1] + m[2]
				file := specFiles[prefix]
				checked++
				if !sections[file][m[3]] {
					t.Errorf("%s:%d cites %s§%s, which %s does not have", path, i+1, prefix, m[3], file)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("found only %d citations: is the pattern still right?", checked)
	}
}

// readSections lists the numbered headings of a spec file.
func readSections(t *testing.T, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("spec %s: %v (the specs the code cites live in docs/spec)", path, err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if m := heading.FindStringSubmatch(sc.Text()); m != nil {
			out[m[1]] = true
		}
	}
	if len(out) == 0 {
		t.Fatalf("spec %s has no numbered headings", path)
	}
	return out
}
