package proxy

import (
	"strings"

	"github.com/extend-compat-proxy/extend-compat-proxy/translate"
)

// otherLabel is the field label for every path outside the allowed set.
const otherLabel = "other"

// Label audit (issue 12.1): route and mode labels are the proxy's own
// constants; code labels are HTTP status codes (three digits, so at most 900
// values even from a hostile upstream); operation labels are route constants;
// rollout reasons fold "rule:<name>" into "rule"; shadow route and path labels
// are capped in package shadow. Tenants and request ids are never labels.
// Only the field label carried client input, hence fieldLabel.

// anyKey in an allowed path stands for one object key the client chooses
// (a field id of a fields-array output), so the label names the shape, not the key.
const anyKey = "{key}"

// knownFieldPaths are the request and response paths, in normalised form,
// that the translator reports as unmapped or synthesised for legacy fields
// it knows. Unknown keys a client invents are not here: they all count as "other".
var knownFieldPaths = []string{
	// requests (mapping §3.1): the file id wins over url and name; file wins over rawText.
	"files[].fileUrl", "files[].fileName",
	"inputs[].file.fileUrl", "inputs[].file.fileName", "inputs[].rawText",
	// provided outputs (L§4.11): classifier confidence, split details, fields-array extras.
	"files[].outputs[].output.confidence",
	"files[].outputs[].output.splits[].id", "files[].outputs[].output.splits[].observation",
	"files[].outputs[].output.splits[].identifier",
	"files[].outputs[].output." + anyKey + ".type", "files[].outputs[].output." + anyKey + ".confidence",
	"files[].outputs[].output." + anyKey + ".page",
	// responses: list items that are not objects, step runs without a legacy output.
	"data[]", "stepRuns[]",
	// synthesised
	"initialRunAt",
}

// allowedFields is the fixed label set: known paths plus every route's documented lossy paths.
var allowedFields = buildAllowedFields()

func buildAllowedFields() map[string]bool {
	set := map[string]bool{otherLabel: true}
	for _, p := range knownFieldPaths {
		set[p] = true
	}
	for _, route := range []string{routeCreate, routeList, routeGet, routeUpdate, routeDelete, routeCancel, routeBatch} {
		for _, p := range translate.LossyPaths(route) {
			set[normalisePath(p)] = true
		}
	}
	return set
}

// fieldLabel maps a reported field path to a metric label value from a fixed
// set: the normalised path when it is a known one, otherwise "other". Client
// input can therefore never create a new time series.
func fieldLabel(path string) string {
	n := normalisePath(path)
	if allowedFields[n] {
		return n
	}
	if k := withAnyKey(n); k != "" && allowedFields[k] {
		return k
	}
	return otherLabel
}

// withAnyKey replaces the second-to-last segment of a provided-output path with
// anyKey, the one place where a legal path holds a key the client picks.
func withAnyKey(p string) string {
	const prefix = "files[].outputs[].output."
	rest, ok := strings.CutPrefix(p, prefix)
	if !ok {
		return ""
	}
	i := strings.LastIndexByte(rest, '.')
	if i <= 0 {
		return ""
	}
	return prefix + anyKey + rest[i:]
}

// normalisePath turns the index forms "files[3].x", "files.3.x" and gjson's
// "files.#.x" into "files[].x".
func normalisePath(p string) string {
	segs := strings.Split(p, ".")
	var b strings.Builder
	b.Grow(len(p))
	for i, s := range segs {
		if s == "#" || isDigits(s) {
			if i > 0 {
				b.WriteString("[]")
				continue
			}
		} else if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(stripIndexes(s))
	}
	return b.String()
}

// stripIndexes turns "files[3]" and "a[1][2]" into "files[]" and "a[][]".
func stripIndexes(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '[' {
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j > i+1 && j < len(s) && s[j] == ']' {
				b.WriteString("[]")
				i = j
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
