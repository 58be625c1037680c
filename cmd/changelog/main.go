// Command changelog prints the version registry's changes as the markdown table that sits in
// README.md between the "changes:begin" and "changes:end" markers. A test keeps the
// README in step: regenerate with `go run ./cmd/changelog -w`.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"sort"
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
	b.WriteString(Methods())
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

// Methods renders the methods of the oldest version's clients: each route,
// the call it becomes, its class, and the lossy fields of its answer.
func Methods() string {
	var b strings.Builder
	reg := translate.Default
	path, err := reg.Path(reg.Versions()[0], reg.Latest())
	if err != nil {
		return ""
	}
	fmt.Fprintf(&b, "\n**Methods of %s clients** (%d; class: a forwarded, b translated on the same path, c moved or reshaped, d removed)\n\n",
		path.Client(), len(path.Routes()))
	b.WriteString("| Method | " + path.Client() + " call | " + reg.Latest() + " call | Class | Lossy fields of the answer |\n|---|---|---|---|---|\n")
	routes := path.Routes()
	sort.SliceStable(routes, func(i, j int) bool {
		if routes[i].Path != routes[j].Path {
			return routes[i].Path < routes[j].Path
		}
		return routes[i].Method < routes[j].Method
	})
	for _, rt := range routes {
		_, method, upstream, _ := path.Endpoint(rt.Name)
		call := "`" + method + " " + upstream + "`"
		if rt.Class == "d" {
			call = "none (410 Gone)"
		}
		fmt.Fprintf(&b, "| `%s` | `%s %s` | %s | %s | %s |\n", rt.Name, rt.Method, rt.Path, call, rt.Class,
			codeList(path.LossyPaths(rt.Name)))
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
