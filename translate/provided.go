package translate

import "github.com/tidwall/gjson"

// Keys of the provided-output shapes, and indexes into providedKeys.
var (
	providedKeys       = []string{"splits", "id", "type", "value"}
	providedSplitKeys  = []string{"classificationId", "type", "startPage", "endPage"}
	providedSplitKinds = [...]kind{kString, kString, kNumber, kNumber}
	// splitLits open each member of a new split, in providedSplitKeys order.
	splitLits  = [...]string{`{"classificationId":`, `,"type":`, `,"startPage":`, `,"endPage":`}
	fieldKeys  = []string{"id", "value"}
	splitsOnly = providedKeys[:1]
	classKeys  = providedKeys[1:3]
)

const (
	pvSplits = iota
	pvID
	pvType
	pvValue
)

// appendProvided is appendProvidedOf for a Result read from d.
func (d *doc) appendProvided(b []byte, out gjson.Result, p *reqPath, rep *Report) ([]byte, error) {
	return d.appendProvidedOf(b, rvOf(out), p, rep)
}

// appendProvidedOf converts a legacy ProvidedProcessorOutput to the new one.
// The shapes are tested in the order of mapping §3.1.3: splitter,
// classifier, JSON extraction ({value} and nothing else), fields array;
// one pass over out tells them apart.
func (d *doc) appendProvidedOf(b []byte, out rv, p *reqPath, rep *Report) ([]byte, error) {
	if d.lead(out) != '{' {
		return b, errAt(p, "is required and must be an object")
	}
	var f [4]rv
	var cnt [4]int
	n := d.tallyOf(out, providedKeys, f[:], cnt[:])
	switch {
	case d.lead(f[pvSplits]) == '[':
		if n > cnt[pvSplits] {
			d.dropExcept(out, p, rep, splitsOnly)
		}
		return d.appendSplits(b, f[pvSplits], p, rep)
	case d.lead(f[pvID]) == '"' && d.lead(f[pvType]) == '"':
		// confidence is dropped ([lossy]).
		if n > cnt[pvID]+cnt[pvType] {
			d.dropExcept(out, p, rep, classKeys)
		}
		b = append(append(b, `{"id":`...), d.raw(f[pvID])...)
		b = append(append(b, `,"type":`...), d.raw(f[pvType])...)
		return append(b, '}'), nil
	case n == 1 && d.lead(f[pvValue]) == '{':
		return append(append(append(b, `{"value":`...), d.raw(f[pvValue])...), '}'), nil
	default:
		return d.appendFieldsArray(b, out, p, rep)
	}
}

// appendSplits keeps {classificationId, type, startPage, endPage} per
// split; id, observation and identifier are dropped ([lossy]).
func (d *doc) appendSplits(b []byte, splits rv, p *reqPath, rep *Report) ([]byte, error) {
	b = append(b, `{"splits":[`...)
	sp := p.member("splits")
	k := 0
	for i, end, ok := d.members(splits); ok; i, ok = d.next(i, end) {
		s := d.valAt(i)
		at := sp.elem(k)
		if d.lead(s) != '{' {
			return b, errAt(&at, "must be an object")
		}
		var f [4]rv
		var cnt [4]int
		n := d.tallyOf(s, providedSplitKeys, f[:], cnt[:])
		for x, key := range providedSplitKeys {
			if want := providedSplitKinds[x]; !want.fits(d.lead(f[x])) {
				kp := at.member(key)
				return b, errAt(&kp, "is required and must be "+kindNames[want])
			}
		}
		if n > cnt[0]+cnt[1]+cnt[2]+cnt[3] {
			d.dropExcept(s, &at, rep, providedSplitKeys)
		}
		if k > 0 {
			b = append(b, ',')
		}
		for x, lit := range splitLits {
			b = append(append(b, lit...), d.raw(f[x])...)
		}
		b = append(b, '}')
		i = s.j
		k++
	}
	return append(b, "]}"...), nil
}

// appendFieldsArray turns {fieldId: {id, value?, type?, confidence?, page?}}
// into {value: {fieldId: value}}. type, confidence and page are dropped
// ([lossy]). [silent] An entry without value becomes null, because the new
// API wants every schema property present.
func (d *doc) appendFieldsArray(b []byte, out rv, p *reqPath, rep *Report) ([]byte, error) {
	w := openObj(append(b, `{"value":`...))
	for i, end, ok := d.members(out); ok; i, ok = d.next(i, end) {
		name, j := memberValue(d.src, i)
		v := d.valAt(j)
		var f [2]rv
		var cnt [2]int
		n := 0
		if d.lead(v) == '{' {
			n = d.tallyOf(v, fieldKeys, f[:], cnt[:])
		}
		if d.lead(f[0]) != '"' {
			return w.b, errAt(p, "matches none of the legacy output shapes (splitter, classifier, {value}, fields array)")
		}
		if n > cnt[0]+cnt[1] {
			fp := p.member(name)
			d.dropExcept(v, &fp, rep, fieldKeys)
		}
		w.key(name)
		if f[1].j != 0 {
			w.b = append(w.b, d.raw(f[1])...)
		} else {
			w.b = append(w.b, "null"...)
		}
		i = v.j
	}
	return append(w.close(), '}'), nil
}
