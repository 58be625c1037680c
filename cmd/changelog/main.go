// Command changelog prints the version registry's changes as the markdown table that sits in
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

// Table renders every step of the default registry as markdown: one row per
// change, with the routes it touches and the fields it makes lossy.
func Table() string {
	var b strings.Builder
	for _, s := range translate.Default.Steps() {
		fmt.Fprintf(&b, "\n**%s → %s** (%d changes)\n\n", s.From, s.To, len(s.Changes))
		b.WriteString("| Change | What a client of " + s.From + " sees | Tag | Routes | Lossy fields |\n|---|---|---|---|---|\n")
		for _, c := range s.Changes {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", c.Name, escape(c.Description), c.Tag,
				strings.Join(c.Routes, ", "), codeList(c.Lossy))
		}
	}
	return b.String()
}

func escape(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

// codeList formats lossy paths ("WorkflowRun:url") as inline code.
func codeList(paths []string) string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = "`" + escape(p) + "`"
	}
	return strings.Join(out, " ")
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
