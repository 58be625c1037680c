package webhook

import (
	"bytes"
	"os"
	"testing"
)

// TestREADMEEventTable keeps the README's event table in step with EventChanges.
func TestREADMEEventTable(t *testing.T) {
	const begin, end = "<!-- webhook-events:begin -->", "<!-- webhook-events:end -->"
	doc, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(doc, []byte(begin)), bytes.Index(doc, []byte(end))
	if i < 0 || j < i {
		t.Fatal("README.md lacks the webhook-events markers")
	}
	want := "\n" + EventTable()
	if *update {
		out := append(append(append([]byte(nil), doc[:i+len(begin)]...), want...), doc[j:]...)
		if err := os.WriteFile("../README.md", out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := string(doc[i+len(begin) : j]); got != want {
		t.Fatalf("README event table is stale; run go test ./webhook -run TestREADMEEventTable -update")
	}
}
