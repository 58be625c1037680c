// Command changelog prints translate.Changes as the markdown table that sits in
// README.md between the "changes:begin" and "changes:end" markers. A test keeps the
// README in step: regenerate with `go run ./cmd/changelog -w`.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

const (
	begin = "<!-- changes:begin -->"
	end   = "<!-- changes:end -->"
)

// Table renders the changes as markdown.
func Table() string {
	var b strings.Builder
	b.WriteString("| Change | What a legacy client sees | Tag |\n|---|---|---|\n")
	for _, c := range translate.Changes {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.Name, strings.ReplaceAll(c.Description, "|", "\\|"), c.Tag)
	}
	return b.String()
}

// Splice replaces the marked section of doc with the table.
func Splice(doc []byte) ([]byte, error) {
	i, j := bytes.Index(doc, []byte(begin)), bytes.Index(doc, []byte(end))
	if i < 0 || j < i {
		return nil, fmt.Errorf("README.md lacks the %s … %s markers", begin, end)
	}
	var out bytes.Buffer
	out.Write(doc[:i+len(begin)])
	out.WriteString("\n" + Table())
	out.Write(doc[j:])
	return out.Bytes(), nil
}

func main() {
	write := flag.Bool("w", false, "rewrite README.md in place")
	flag.Parse()
	if !*write {
		fmt.Print(Table())
		return
	}
	doc, err := os.ReadFile("README.md")
	if err == nil {
		doc, err = Splice(doc)
	}
	if err == nil {
		err = os.WriteFile("README.md", doc, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "changelog:", err)
		os.Exit(1)
	}
}
