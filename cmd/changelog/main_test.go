package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// README.md's compatibility table must be exactly translate.Changes.
func TestReadmeListsEveryChange(t *testing.T) {
	doc, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Splice(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, want) {
		t.Fatal("README.md's change table is stale: run `go run ./cmd/changelog -w`")
	}
}

// Every translated method of the legacy SDK is in the table once, with a class.
func TestEveryMethodHasAClass(t *testing.T) {
	m := Methods()
	if n := strings.Count(m, "\n| `"); n != 37 {
		t.Errorf("methods table has %d rows, want the 37 methods of the legacy SDK:\n%s", n, m)
	}
	for _, line := range strings.Split(m, "\n") {
		if strings.HasPrefix(line, "| `") && !strings.Contains(line, " | a | ") && !strings.Contains(line, " | b | ") &&
			!strings.Contains(line, " | c | ") && !strings.Contains(line, " | d | ") {
			t.Errorf("no class: %s", line)
		}
	}
}
