package translate

import (
	"strconv"
	"strings"

	"github.com/tidwall/gjson"
	"github.com/tidwall/sjson"
)

// legacyProcessorRunKeys are the members of the 0.0.12 ProcessorRun (surface
// S§4.1); anything else a 2026-02-09 server adds is projected away (D2).
var legacyProcessorRunKeys = map[string]bool{
	"object": true, "id": true, "processorId": true, "processorVersionId": true, "processorName": true,
	"status": true, "output": true, "failureReason": true, "failureMessage": true, "metadata": true,
	"reviewed": true, "edited": true, "edits": true, "type": true, "config": true, "initialOutput": true,
	"reviewedOutput": true, "files": true, "mergedProcessors": true, "url": true, "usage": true,
}

// appendSurfaceProcessorRun writes a legacy ProcessorRun from a 2026-02-09
// LegacyProcessorRun: strict projection, nulls left out (output stays null
// until processed, as in 0.0.12), files in the legacy File_ shape and the
// config in legacy terms.
func (d *doc) appendSurfaceProcessorRun(b []byte, run gjson.Result) []byte {
	w := openObj(b)
	d.each(run, func(name string, v gjson.Result) bool {
		if !legacyProcessorRunKeys[name] || (v.Type == gjson.Null && name != "output") {
			return true
		}
		w.key(name)
		switch {
		case name == "files" && v.IsArray():
			w.b = d.appendArray(w.b, v, func(b []byte, f gjson.Result) ([]byte, bool) {
				if !f.IsObject() {
					return b, false
				}
				return d.appendSurfaceFile(b, f), true
			})
		case name == "config" && v.IsObject():
			w.b = d.appendSurfaceConfig(w.b, v)
		default:
			w.b = d.appendNoNulls(w.b, v)
		}
		return true
	})
	return w.close()
}

// appendLegacyShapes copies a processor-family answer with N0 applied and
// every processor config in legacy terms (processors, versions, publish).
func (d *doc) appendLegacyShapes(b []byte, v gjson.Result) []byte {
	if !mayHoldConfig(v.Raw) { // nothing below to rewrite: the N0 copy
		return d.appendNoNulls(b, v)
	}
	if v.IsArray() { // a version list: each version's config too
		return d.appendArray(b, v, func(b []byte, x gjson.Result) ([]byte, bool) {
			return d.appendLegacyShapes(b, x), true // elements kept as they are, as appendNoNulls does
		})
	}
	if !v.IsObject() {
		return d.appendNoNulls(b, v)
	}
	w := openObj(b)
	d.each(v, func(k string, x gjson.Result) bool {
		if x.Type == gjson.Null {
			return true
		}
		w.key(k)
		if k == "config" && x.IsObject() {
			w.b = d.appendSurfaceConfig(w.b, x)
		} else {
			w.b = d.appendLegacyShapes(w.b, x)
		}
		return true
	})
	return w.close()
}

// mayHoldConfig reports whether a value's text may have a config member
// below it: it names one, or has escapes that could spell one.
func mayHoldConfig(raw string) bool {
	return strings.Contains(raw, "config") || strings.IndexByte(raw, '\\') >= 0
}

// appendSurfaceConfig writes a processor config back in 0.0.12 terms (D3):
// nulls left out, parser.blockOptions.text.agentic.enabled becomes
// parser.advancedOptions.agenticOcrEnabled. The usual config is written in
// one pass (surfconfig.go's agenticPlan); any other goes through sjson edits of
// its copy, whose results the one-pass writer reproduces.
func (d *doc) appendSurfaceConfig(b []byte, cfg gjson.Result) []byte {
	if p, ok := d.agenticPlan(cfg); ok {
		if !p.agentic.Exists() {
			return d.appendNoNulls(b, cfg)
		}
		return d.appendConfigRewritten(b, cfg, &p)
	}
	return d.appendSurfaceConfigEdited(b, cfg)
}

// appendSurfaceConfigEdited is appendSurfaceConfig through sjson edits.
func (d *doc) appendSurfaceConfigEdited(b []byte, cfg gjson.Result) []byte {
	mark := len(b)
	b = d.appendNoNulls(b, cfg)
	agentic := gjson.Get(bytesString(b[mark:]), "parser.blockOptions.text.agentic")
	if !agentic.Exists() {
		return b
	}
	out := append([]byte(nil), b[mark:]...)
	if edited, err := sjson.DeleteBytes(out, "parser.blockOptions.text.agentic"); err == nil {
		out = edited
	}
	// The request side made these containers to hold agentic; emptied, they
	// have no legacy meaning and the client never sent them.
	for _, p := range []string{"parser.blockOptions.text", "parser.blockOptions"} {
		if v := gjson.GetBytes(out, p); v.IsObject() && len(v.Map()) == 0 {
			if edited, err := sjson.DeleteBytes(out, p); err == nil {
				out = edited
			}
		}
	}
	if en := agentic.Get("enabled"); en.IsBool() {
		if edited, err := sjson.SetRawBytes(out, "parser.advancedOptions.agenticOcrEnabled", []byte(en.Raw)); err == nil {
			out = edited
		}
	}
	return append(b[:mark], out...)
}

// sanitizeProcessorRequest readies a processor-family request for
// 2026-02-09 (D3): agenticOcrEnabled becomes blockOptions.text.agentic, and
// every pageRanges item gets the start and end the new types require.
func sanitizeProcessorRequest(c *Context, m Message) (Message, error) {
	body, err := single(m)
	if err != nil {
		return Message{}, err
	}
	root, err := parseRequest(body)
	if err != nil {
		return Message{}, err
	}
	cfg := root.Get("config")
	if !cfg.Exists() || cfg.Type == gjson.Null {
		return One(body), nil
	}
	if !cfg.IsObject() {
		return Message{}, reqErr("config", "must be an object")
	}
	out := body
	if aoc := cfg.Get("parser.advancedOptions.agenticOcrEnabled"); aoc.Exists() {
		if out, err = sjson.DeleteBytes(out, "config.parser.advancedOptions.agenticOcrEnabled"); err != nil {
			return Message{}, reqErr("config.parser.advancedOptions", "could not be rewritten")
		}
		if aoc.Type == gjson.True && !cfg.Get("parser.blockOptions.text.agentic").Exists() {
			if out, err = sjson.SetRawBytes(out, "config.parser.blockOptions.text.agentic", []byte(`{"enabled":true}`)); err != nil {
				return Message{}, reqErr("config.parser.blockOptions", "could not be rewritten")
			}
		}
	}
	for _, p := range []string{"config.advancedOptions.pageRanges", "config.parser.advancedOptions.pageRanges"} {
		if out, err = completePageRanges(out, p, c.Options.OpenPageRangeEnd); err != nil {
			return Message{}, err
		}
	}
	return One(out), nil
}

// completePageRanges gives every item at path a start (1 when missing) and
// an end (refused when missing, unless openEnd is configured).
func completePageRanges(body []byte, path string, openEnd int) ([]byte, error) {
	ranges := gjson.GetBytes(body, path)
	if !ranges.Exists() || ranges.Type == gjson.Null {
		return body, nil
	}
	if !ranges.IsArray() {
		return nil, reqErr(path, "must be an array")
	}
	var err error
	for i, r := range ranges.Array() {
		at := path + "." + strconv.Itoa(i)
		field := index(path, i)
		if !r.IsObject() {
			return nil, reqErr(field, "must be an object with start and end")
		}
		if s := r.Get("start"); !s.Exists() || s.Type == gjson.Null {
			if body, err = sjson.SetBytes(body, at+".start", 1); err != nil {
				return nil, reqErr(field, "could not be rewritten")
			}
		}
		if e := r.Get("end"); !e.Exists() || e.Type == gjson.Null {
			if openEnd <= 0 {
				return nil, reqErr(field+".end", "is required by API version 2026-02-09 (the proxy cannot know the page count; "+
					"give the last page, or configure translate.openPageRangeEnd)")
			}
			if body, err = sjson.SetBytes(body, at+".end", openEnd); err != nil {
				return nil, reqErr(field, "could not be rewritten")
			}
		}
	}
	return body, nil
}
