package translate

import (
	"slices"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
)

// Request checks of the surface methods whose bodies and queries the proxy
// otherwise forwards as they came (processors, processor runs and versions,
// workflows, list pages). A wrong type or a missing required member is the
// client's 400 in the legacy shape, answered before any upstream call, so
// 2026-02-09 never receives a request its types do not allow (and a bad
// request can create nothing).

// jsonKind is the JSON type a request member must have.
type jsonKind int

const (
	jString jsonKind = iota
	jNumber
	jBool
	jObject
)

var jsonKindNames = [...]string{"a string", "a number", "a boolean", "an object"}

func (k jsonKind) matches(r gjson.Result) bool {
	switch k {
	case jString:
		return r.Type == gjson.String
	case jNumber:
		return r.Type == gjson.Number
	case jBool:
		return r.IsBool()
	default:
		return r.IsObject()
	}
}

// member is one declared member of a legacy (0.0.12) request body.
type member struct {
	name     string
	kind     jsonKind
	required bool
	enum     []string // closed enum of a string member; nil when open
	of       []member // the members of an object member, when checked
}

var (
	processorTypes = []string{"EXTRACT", "CLASSIFY", "SPLITTER"}
	runFileShape   = []member{{name: "fileName"}, {name: "fileUrl"}, {name: "fileId"}}
	// processorRunCreateShape is 0.0.12 ProcessorRunCreateRequest.
	processorRunCreateShape = []member{{name: "processorId", required: true}, {name: "version"},
		{name: "file", kind: jObject, of: runFileShape}, {name: "rawText"}, {name: "sync", kind: jBool},
		{name: "priority", kind: jNumber}, {name: "metadata", kind: jObject}, {name: "config", kind: jObject}}
	// processorCreateShape is 0.0.12 ProcessorCreateRequest.
	processorCreateShape = []member{{name: "name", required: true}, {name: "type", required: true, enum: processorTypes},
		{name: "cloneProcessorId"}, {name: "config", kind: jObject}}
	// processorUpdateShape is 0.0.12 ProcessorUpdateRequest.
	processorUpdateShape = []member{{name: "name"}, {name: "config", kind: jObject}}
	// processorVersionCreateShape is 0.0.12 ProcessorVersionCreateRequest.
	processorVersionCreateShape = []member{{name: "releaseType", required: true, enum: []string{"major", "minor"}},
		{name: "description"}, {name: "config", kind: jObject}}
	// workflowCreateShape is 0.0.12 WorkflowCreateRequest.
	workflowCreateShape = []member{{name: "name", required: true}}
)

// checkShape checks the members of obj: required ones present (a required
// string also non-empty), every present one of its kind and enum. A null
// optional member counts as absent (null-as-absent).
func checkShape(obj gjson.Result, prefix string, shape []member) error {
	for _, m := range shape {
		v, at := obj.Get(gjson.Escape(m.name)), join(prefix, m.name)
		if absent(v) || (m.required && m.kind == jString && v.Type == gjson.String && v.Str == "") {
			if m.required {
				return reqErr(at, "is required")
			}
			continue
		}
		if !m.kind.matches(v) {
			return reqErr(at, "must be "+jsonKindNames[m.kind])
		}
		if m.enum != nil && !slices.Contains(m.enum, v.Str) {
			return reqErr(at, "must be one of "+strings.Join(m.enum, ", "))
		}
		if m.of != nil {
			if err := checkShape(v, at, m.of); err != nil {
				return err
			}
		}
	}
	return nil
}

// checked runs checkShape on the body, then next (nil: the body as it came).
func checked(shape []member, next Transform) Transform {
	return func(c *Context, m Message) (Message, error) {
		body, err := single(m)
		if err != nil {
			return Message{}, err
		}
		root, err := parseRequest(body)
		if err != nil {
			return Message{}, err
		}
		if err := checkShape(root, "", shape); err != nil {
			return Message{}, err
		}
		if next == nil {
			return m, nil
		}
		return next(c, m)
	}
}

// checkedPage checks a list's page size, a number in every 2026-02-09 list
// request type, then runs next (nil: the query as it came).
func checkedPage(next Transform) Transform {
	return func(c *Context, m Message) (Message, error) {
		for _, v := range m.Query["maxPageSize"] {
			if n, err := strconv.Atoi(v); v != "" && (err != nil || n < 1) {
				return Message{}, reqErr("maxPageSize", "must be a positive integer (got "+strconv.Quote(truncateUTF8(v, 40))+")")
			}
		}
		if next == nil {
			return m, nil
		}
		return next(c, m)
	}
}
