package shadow

import (
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// Path syntax (normalised form, used by counts, metrics, Config.Ignore, Config.Unordered and
// Job.LossyPaths):
//
//	workflowRun.outputs.#.usage    object keys joined by ".", every array index written "#"
//	a\.b                           a key that contains ".", "*", "#" or "\" escapes it with "\"
//
// Ignore and lossy patterns are matched segment by segment:
//
//	workflowRun.files              the path itself and everything below it
//	workflowRun.*.usage            "*" is any one segment (a key or "#")
//	workflowRun.outputs.#.*        a trailing "*" is everything strictly below the prefix
//
// Unordered entries name array paths exactly (no wildcards).

// escapeKey makes an object key safe as one path segment.
func escapeKey(k string) string {
	if !strings.ContainsAny(k, `.*#\`) {
		return k
	}
	var b strings.Builder
	for _, r := range k {
		if r == '.' || r == '*' || r == '#' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func joinPath(segs []string) string { return strings.Join(segs, ".") }

// splitPath splits a path or pattern on unescaped dots, keeping escapes in the segments.
func splitPath(p string) []string {
	var segs []string
	start := 0
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '.':
			segs = append(segs, p[start:i])
			start = i + 1
		}
	}
	return append(segs, p[start:])
}

type pattern []string

func compilePatterns(ps []string) []pattern {
	out := make([]pattern, 0, len(ps))
	for _, p := range ps {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, splitPath(p))
		}
	}
	return out
}

func (p pattern) match(path []string) bool {
	for i, seg := range p {
		last := i == len(p)-1
		if last && seg == "*" {
			return len(path) > i
		}
		if i >= len(path) || (seg != "*" && seg != path[i]) {
			return false
		}
	}
	return true // equal, or path is below the pattern
}

func matchAny(ps []pattern, path []string) bool {
	for _, p := range ps {
		if p.match(path) {
			return true
		}
	}
	return false
}

// Match reports whether a normalised path is covered by any of the patterns (syntax above).
func Match(patterns []string, path string) bool {
	return matchAny(compilePatterns(patterns), splitPath(path))
}

func scalarEqual(a, b gjson.Result) bool {
	switch a.Type {
	case gjson.Number:
		return numEqual(a.Raw, b.Raw)
	case gjson.String:
		return a.Str == b.Str
	default:
		return a.Type == b.Type
	}
}

// numEqual compares JSON numbers exactly (1 = 1.0 = 1e0), falling back to float64 for absurd exponents
// so that a hostile "1e999999999" cannot make big.Rat allocate without bound.
func numEqual(a, b string) bool {
	if a == b {
		return true
	}
	if sane(a) && sane(b) {
		ra, oka := new(big.Rat).SetString(a)
		rb, okb := new(big.Rat).SetString(b)
		if oka && okb {
			return ra.Cmp(rb) == 0
		}
	}
	fa, erra := strconv.ParseFloat(a, 64)
	fb, errb := strconv.ParseFloat(b, 64)
	return erra == nil && errb == nil && fa == fb
}

func sane(n string) bool {
	if len(n) > 400 {
		return false
	}
	i := strings.IndexAny(n, "eE")
	if i < 0 {
		return true
	}
	e, err := strconv.Atoi(strings.TrimPrefix(n[i+1:], "+"))
	return err == nil && e > -400 && e < 400
}

func canonNumber(raw string) string {
	if sane(raw) {
		if r, ok := new(big.Rat).SetString(raw); ok {
			return r.RatString()
		}
	}
	if f, err := strconv.ParseFloat(raw, 64); err == nil {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return raw
}

// canonical renders a value with sorted keys, exact numbers, ignored subpaths left out and nested unordered
// arrays sorted, so that two values equal under Compare render the same.
func (c *comparer) canonical(norm []string, r gjson.Result) string {
	switch typeOf(r) {
	case "object":
		m, order := members(r)
		sort.Strings(order)
		var b strings.Builder
		b.WriteByte('{')
		for _, k := range order {
			n := extend(norm, escapeKey(k))
			if matchAny(c.ignore, n) {
				continue
			}
			b.WriteString(strconv.Quote(k) + ":" + c.canonical(n, m[k]) + ",")
		}
		return b.String() + "}"
	case "array":
		n := extend(norm, "#")
		var parts []string
		for _, e := range r.Array() {
			parts = append(parts, c.canonical(n, e))
		}
		if c.unordered[joinPath(norm)] {
			sort.Strings(parts)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case "number":
		return canonNumber(r.Raw)
	case "string":
		return strconv.Quote(r.Str)
	default:
		return r.Raw
	}
}
