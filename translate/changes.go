package translate

import (
	"fmt"
	"regexp"
	"strings"
)

// Change is one breaking change between two API versions that a Step
// absorbs, kept as data (Cadwyn and Stripe style): the README's table, the
// lossy paths of shadow comparisons, the metric labels of dropped fields and
// the drift tests are all derived from it.
type Change struct {
	// Name is a short kebab-case identifier.
	Name string
	// Description says what a client of the older version sees, in user words.
	Description string
	// Tag is direct, derived, lossy or silent (mapping.md's tags).
	Tag string
	// Routes are the routes whose bodies the change affects.
	Routes []string
	// Lossy are the response paths, as "Object:path" relative to an object of
	// Step.Objects, whose value the change loses or has to make up.
	Lossy []string
	// Reports are the paths its transforms record in a Report as dropped or
	// synthesized (array indexes written as #). They are also the only field
	// names metrics may use as label values.
	Reports []string
	// Golden names the golden cases (translate/testdata) that show the change.
	Golden []string
}

// Change tags, as defined at the top of mapping.md.
const (
	TagDirect  = "direct"
	TagDerived = "derived"
	TagLossy   = "lossy"
	TagSilent  = "silent"
)

var changeName = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// check validates a change against its step.
func (c Change) check(s *Step) error {
	switch {
	case !changeName.MatchString(c.Name):
		return fmt.Errorf("change %q: name must be kebab-case", c.Name)
	case !strings.HasSuffix(c.Description, "."):
		return fmt.Errorf("change %s: description must be a sentence", c.Name)
	case c.Tag != TagDirect && c.Tag != TagDerived && c.Tag != TagLossy && c.Tag != TagSilent:
		return fmt.Errorf("change %s: unknown tag %q", c.Name, c.Tag)
	case len(c.Routes) == 0:
		return fmt.Errorf("change %s: names no route", c.Name)
	case len(c.Golden) == 0:
		return fmt.Errorf("change %s: names no golden case", c.Name)
	}
	for _, r := range c.Routes {
		if _, ok := s.Endpoints[r]; !ok {
			return fmt.Errorf("change %s: route %q has no endpoint", c.Name, r)
		}
	}
	for _, l := range c.Lossy {
		obj, rel, ok := strings.Cut(l, ":")
		if _, known := s.Objects[obj]; !ok || !known || rel == "" {
			return fmt.Errorf("change %s: lossy path %q is not Object:path with a known object", c.Name, l)
		}
	}
	if (c.Tag == TagLossy) && len(c.Lossy) == 0 && len(c.Reports) == 0 {
		return fmt.Errorf("change %s: a lossy change must name what it loses", c.Name)
	}
	return nil
}

// Changes lists every change of the default registry, oldest first.
func Changes() []Change {
	var out []Change
	for _, s := range Default.steps {
		out = append(out, s.Changes...)
	}
	return out
}

// ReportLabel maps a reported field path to a bounded label value: the
// declared path (array indexes as "#", "*" for a client-named key) when some
// change of the default registry declares it, otherwise "other". Client input
// (unknown field names) can therefore never create new label values.
func ReportLabel(path string) string {
	norm := normalizePath(path)
	if reportLabels[norm] {
		return norm
	}
	for _, pat := range reportPatterns {
		if matchSegments(pat, norm) {
			return pat
		}
	}
	return "other"
}

// declaresReport reports whether some change declares the reported path.
func declaresReport(path string) bool { return ReportLabel(path) != "other" }

// matchSegments matches a dotted path against a pattern whose "*" segments
// stand for any one key.
func matchSegments(pattern, path string) bool {
	ps, qs := strings.Split(pattern, "."), strings.Split(path, ".")
	if len(ps) != len(qs) {
		return false
	}
	for i := range ps {
		if ps[i] != "*" && ps[i] != qs[i] {
			return false
		}
	}
	return true
}

var reportPatterns = func() []string {
	var out []string
	for _, l := range reportLabelList() {
		if strings.Contains(l, "*") {
			out = append(out, l)
		}
	}
	return out
}()

// reportLabelList lists every label value ReportLabel can return.
func reportLabelList() []string {
	out := []string{"other"}
	for _, c := range Changes() {
		out = append(out, c.Reports...)
	}
	return out
}

var reportLabels = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range reportLabelList() {
		m[l] = true
	}
	return m
}()

// normalizePath writes array indexes of a reported path ("files[3].fileUrl",
// "data.2") as "#": "files.#.fileUrl", "data.#".
func normalizePath(p string) string {
	var b strings.Builder
	b.Grow(len(p))
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '[':
			j := i + 1
			for j < len(p) && p[j] >= '0' && p[j] <= '9' {
				j++
			}
			if j < len(p) && p[j] == ']' && j > i+1 {
				b.WriteString(".#")
				i = j
				continue
			}
			b.WriteByte(c)
		case c >= '0' && c <= '9' && (i == 0 || p[i-1] == '.'):
			j := i
			for j < len(p) && p[j] >= '0' && p[j] <= '9' {
				j++
			}
			if j == len(p) || p[j] == '.' {
				b.WriteByte('#')
				i = j - 1
				continue
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
