package main

import (
	"bytes"
	"os"
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
