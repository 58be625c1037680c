package config

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with a configuration, placed at its line (0 when
// the value did not come from the file) and named by its key path.
type Problem struct {
	Line int
	Path string
	Msg  string
}

func (p Problem) String() string {
	s := p.Msg
	if p.Path != "" {
		s = p.Path + ": " + p.Msg
	}
	if p.Line > 0 {
		s = "line " + strconv.Itoa(p.Line) + ": " + s
	}
	return s
}

// Problems is every problem of a configuration, in file order; it is an error.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	noun := "problems"
	if len(ps) == 1 {
		noun = "problem"
	}
	return fmt.Sprintf("%d %s:\n  - %s", len(ps), noun, strings.Join(lines, "\n  - "))
}

// Document remembers where each key of a configuration file is, so problems
// found later (by Validate) can point at a line.
type Document struct {
	lines  map[string]int
	forgot map[string]bool // overridden by a flag or the environment
}

// Line returns the line of path ("timeouts.read", "rollout.rules[0].mode"),
// or of its closest parent in the file; 0 when none is.
func (d *Document) Line(path string) int {
	if d != nil && d.forgot[path] {
		return 0
	}
	for d != nil && path != "" {
		if l, ok := d.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return 0
		}
		path = path[:i]
	}
	return 0
}

// Forget drops path (and the keys below it) because a flag or an environment
// variable overrode it, so its problems are not placed at a file line. Safe on nil.
func (d *Document) Forget(path string) {
	if d == nil {
		return
	}
	if d.forgot == nil {
		d.forgot = map[string]bool{}
	}
	d.forgot[path] = true
	for k := range d.lines {
		if k == path || strings.HasPrefix(k, path+".") || strings.HasPrefix(k, path+"[") {
			delete(d.lines, k)
		}
	}
}

// Decode decodes a YAML document over cfg, keeping what the document does not
// set. Unlike a strict yaml decode it does not stop at the first problem: every
// unknown key and every value of the wrong type is reported, with its line,
// and every other value is still applied, so Validate can report the rest.
func Decode(raw []byte, cfg *Config) (*Document, error) {
	doc := &Document{lines: map[string]int{}}
	var root yaml.Node
	if err := yaml.Unmarshal(raw, &root); err != nil {
		return doc, Problems{syntaxProblem(err)}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return doc, nil // an empty document sets nothing
	}
	w := &walker{doc: doc}
	w.value(root.Content[0], reflect.ValueOf(cfg).Elem(), "")
	if len(w.problems) == 0 {
		return doc, nil
	}
	sort.SliceStable(w.problems, func(i, j int) bool { return w.problems[i].Line < w.problems[j].Line })
	return doc, w.problems
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

func syntaxProblem(err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{Line: n, Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), m[0])}
	}
	return Problem{Msg: "not valid YAML: " + msg}
}

// walker checks a YAML node tree against the Config type.
type walker struct {
	doc      *Document
	problems Problems
}

func (w *walker) add(line int, path, msg string) {
	w.problems = append(w.problems, Problem{Line: line, Path: path, Msg: msg})
}

var unmarshalerType = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()

// value decodes n into v (settable), recursing into settings groups.
func (w *walker) value(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	t := v.Type()
	custom := reflect.PointerTo(t).Implements(unmarshalerType)
	switch {
	case t.Kind() == reflect.Struct && !custom:
		w.group(n, v, path)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct && n.Kind == yaml.SequenceNode:
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, e := range n.Content {
			p := path + "[" + strconv.Itoa(i) + "]"
			w.doc.lines[p] = e.Line
			w.value(e, s.Index(i), p)
		}
		v.Set(s)
	default:
		nv := reflect.New(t)
		if err := n.Decode(nv.Interface()); err != nil {
			w.add(n.Line, path, typeMessage(n, t, err))
			return
		}
		v.Set(nv.Elem())
	}
}

// group checks a mapping against a settings struct: every key must be a field.
func (w *walker) group(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		w.add(n.Line, path, "must be a group of settings (key: value lines), not "+describe(n))
		return
	}
	fields := map[string]int{}
	for i := 0; i < v.NumField(); i++ {
		fields[strings.Split(v.Type().Field(i).Tag.Get("yaml"), ",")[0]] = i
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		p := join(path, k.Value)
		idx, ok := fields[k.Value]
		if !ok {
			w.add(k.Line, p, "unknown setting"+suggest(k.Value, fields)+knownIn(path, fields))
			continue
		}
		w.doc.lines[p] = k.Line
		w.value(val, v.Field(idx), p)
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// suggest names a known key that differs only in case or by a small typo.
func suggest(key string, fields map[string]int) string {
	best, bestD := "", 3
	for f := range fields {
		if d := distance(strings.ToLower(key), strings.ToLower(f)); d < bestD {
			best, bestD = f, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// knownIn lists the settings of a small group, to help without the docs.
func knownIn(path string, fields map[string]int) string {
	if path == "" || len(fields) > 12 {
		return ""
	}
	names := make([]string, 0, len(fields))
	for f := range fields {
		names = append(names, f)
	}
	sort.Strings(names)
	return "; " + path + " has " + strings.Join(names, ", ")
}

// distance is the Levenshtein distance of two short strings.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// typeMessage says in user words what kind of value a setting takes.
func typeMessage(n *yaml.Node, t reflect.Type, err error) string {
	got := describe(n)
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		// Custom types (durations) already explain themselves; drop yaml's line prefix.
		return regexp.MustCompile(`^line \d+: `).ReplaceAllString(err.Error(), "")
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	want := map[reflect.Kind]string{
		reflect.Int: "a whole number", reflect.Int64: "a whole number", reflect.Float64: "a number",
		reflect.Bool: "true or false", reflect.String: "a text value", reflect.Slice: "a list",
		reflect.Map: "a mapping of key: value pairs",
	}[t.Kind()]
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String {
		want = "a list of text values"
	}
	if want == "" {
		want = "a " + t.String()
	}
	return "must be " + want + ", not " + got
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a group of key: value lines"
	case yaml.SequenceNode:
		return "a list"
	default:
		return strconv.Quote(n.Value)
	}
}

// Explain joins the problems of a configuration file (fileErr, from Load) and
// of the validation of the final configuration (validateErr) into one error,
// every problem placed at its line in doc where the file sets it.
func Explain(path string, doc *Document, fileErr, validateErr error) error {
	var all Problems
	var ps Problems
	if errors.As(fileErr, &ps) {
		all = append(all, ps...)
	} else if fileErr != nil {
		return fileErr
	}
	var ve *ValidationError
	if errors.As(validateErr, &ve) {
		for _, msg := range ve.Problems {
			key := validationPath(msg)
			all = append(all, Problem{Line: doc.Line(key), Msg: msg})
		}
	} else if validateErr != nil {
		return validateErr
	}
	if len(all) == 0 {
		return nil
	}
	sort.SliceStable(all, func(i, j int) bool { return lineOrder(all[i]) < lineOrder(all[j]) })
	if path == "" {
		return fmt.Errorf("invalid configuration: %w", all)
	}
	return fmt.Errorf("config %s: %w", path, all)
}

// lineOrder sorts problems by line, those without a line (set by flags,
// environment or defaults) last.
func lineOrder(p Problem) int {
	if p.Line == 0 {
		return int(^uint(0) >> 1)
	}
	return p.Line
}

// validationPath is the key path a Validate message starts with ("timeouts.write (2s) …" → "timeouts.write").
func validationPath(msg string) string {
	if i := strings.IndexAny(msg, ": "); i > 0 {
		return msg[:i]
	}
	return ""
}
