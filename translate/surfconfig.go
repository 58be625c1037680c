package translate

import (
	"strings"

	"github.com/tidwall/gjson"
)

// The one-pass form of appendSurfaceConfig's rewrite (D3, response
// direction): parser.blockOptions.text.agentic leaves, text and blockOptions
// leave with it when nothing else is in them, and agentic.enabled, when a
// boolean, becomes parser.advancedOptions.agenticOcrEnabled (replaced in
// place, else added last, as sjson does). It applies only where the sjson
// edits have one reading: no escapes, and at most one non-null member of
// each name along the paths.

// agenticPlan is where the members the rewrite touches are.
type agenticPlan struct {
	parser, blockOptions, text, agentic, advanced, enabled gjson.Result
	textOthers, blockOthers                                int // other non-null members
}

// agenticPlan finds the members; ok false means a config the one-pass
// writer does not reproduce (the sjson edits handle it).
func (d *doc) agenticPlan(cfg gjson.Result) (p agenticPlan, ok bool) {
	if strings.IndexByte(cfg.Raw, '\\') >= 0 {
		return p, false
	}
	if p.parser, _, ok = d.only(cfg, "parser", ""); !ok || !p.parser.IsObject() {
		return p, ok
	}
	if p.blockOptions, _, ok = d.only(p.parser, "blockOptions", ""); ok && p.blockOptions.IsObject() {
		if p.text, p.blockOthers, ok = d.only(p.blockOptions, "text", ""); ok && p.text.IsObject() {
			p.agentic, p.textOthers, ok = d.only(p.text, "agentic", "")
		}
	}
	if !ok || !p.agentic.Exists() {
		return p, ok
	}
	p.enabled, _, _ = d.only(p.agentic, "enabled", "enabled")
	if p.advanced, _, ok = d.only(p.parser, "advancedOptions", ""); !ok || (p.advanced.Exists() && !p.advanced.IsObject()) {
		return p, false
	}
	if p.advanced.Exists() {
		_, _, ok = d.only(p.advanced, "agenticOcrEnabled", "")
	}
	return p, ok
}

// only is the one non-null member key of object r (zero when none) and how
// many other non-null members r has; ok is false when key occurs twice,
// unless first is set, in which case the first non-null one is returned.
func (d *doc) only(r gjson.Result, key, first string) (v gjson.Result, others int, ok bool) {
	ok = true
	d.each(r, func(k string, x gjson.Result) bool {
		switch {
		case x.Type == gjson.Null:
		case k != key:
			others++
		case !v.Exists():
			v = x
		case first == "":
			ok = false
		}
		return ok
	})
	return v, others, ok
}

// appendConfigRewritten writes cfg less its nulls, its parser rewritten.
func (d *doc) appendConfigRewritten(b []byte, cfg gjson.Result, p *agenticPlan) []byte {
	w := openObj(b)
	d.each(cfg, func(k string, v gjson.Result) bool {
		if v.Type == gjson.Null {
			return true
		}
		w.key(k)
		if v.Index == p.parser.Index {
			w.b = d.appendParserRewritten(w.b, p)
		} else {
			w.b = d.appendNoNulls(w.b, v)
		}
		return true
	})
	return w.close()
}

// appendParserRewritten writes the parser: blockOptions less agentic (or
// gone), advancedOptions with agenticOcrEnabled.
func (d *doc) appendParserRewritten(b []byte, p *agenticPlan) []byte {
	set := p.enabled.IsBool()
	w := openObj(b)
	d.each(p.parser, func(k string, v gjson.Result) bool {
		switch {
		case v.Type == gjson.Null:
		case v.Index == p.blockOptions.Index:
			if p.textOthers > 0 || p.blockOthers > 0 {
				w.key(k)
				w.b = d.appendBlockOptionsLess(w.b, p)
			}
		case v.Index == p.advanced.Index && set:
			w.key(k)
			w.b = d.appendAdvanced(w.b, v, p.enabled.Raw)
		default:
			w.key(k)
			w.b = d.appendNoNulls(w.b, v)
		}
		return true
	})
	if set && !p.advanced.Exists() {
		w.key("advancedOptions")
		w.b = append(append(append(w.b, `{"agenticOcrEnabled":`...), p.enabled.Raw...), '}')
	}
	return w.close()
}

// appendBlockOptionsLess writes blockOptions less text.agentic, and less text
// when agentic was all it held.
func (d *doc) appendBlockOptionsLess(b []byte, p *agenticPlan) []byte {
	w := openObj(b)
	d.each(p.blockOptions, func(k string, v gjson.Result) bool {
		switch {
		case v.Type == gjson.Null:
		case v.Index != p.text.Index:
			w.key(k)
			w.b = d.appendNoNulls(w.b, v)
		case p.textOthers > 0:
			w.key(k)
			tw := openObj(w.b)
			d.each(v, func(k string, x gjson.Result) bool {
				if x.Type != gjson.Null && x.Index != p.agentic.Index {
					tw.key(k)
					tw.b = d.appendNoNulls(tw.b, x)
				}
				return true
			})
			w.b = tw.close()
		}
		return true
	})
	return w.close()
}

// appendAdvanced writes advancedOptions with agenticOcrEnabled set to raw:
// in place when present, else last.
func (d *doc) appendAdvanced(b []byte, adv gjson.Result, raw string) []byte {
	w := openObj(b)
	found := false
	d.each(adv, func(k string, v gjson.Result) bool {
		switch {
		case v.Type == gjson.Null:
		case k == "agenticOcrEnabled":
			found = true
			w.raw(k, raw)
		default:
			w.key(k)
			w.b = d.appendNoNulls(w.b, v)
		}
		return true
	})
	if !found {
		w.raw("agenticOcrEnabled", raw)
	}
	return w.close()
}
