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

// appendProvided converts a legacy ProvidedProcessorOutput to the new one.
// The shapes are tested in the order of mapping §3.1.3: splitter,
// classifier, JSON extraction ({value} and nothing else), fields array;
// one pass over out tells them apart.
func (d *doc) appendProvided(b []byte, out gjson.Result, p *reqPath, rep *Report) ([]byte, error) {
	if !out.IsObject() {
		return b, errAt(p, "is required and must be an object")
	}
	var f [4]gjson.Result
	var cnt [4]int
	n := d.tally(out, providedKeys, f[:], cnt[:])
	switch {
	case f[pvSplits].IsArray():
		if n > cnt[pvSplits] {
			d.dropExcept(out, p, rep, splitsOnly)
		}
		return d.appendSplits(b, f[pvSplits], p, rep)
	case f[pvID].Type == gjson.String && f[pvType].Type == gjson.String:
		// confidence is dropped ([lossy]).
		if n > cnt[pvID]+cnt[pvType] {
			d.dropExcept(out, p, rep, classKeys)
		}
		b = append(append(b, `{"id":`...), f[pvID].Raw...)
		b = append(append(b, `,"type":`...), f[pvType].Raw...)
		return append(b, '}'), nil
	case n == 1 && f[pvValue].IsObject():
		return append(append(append(b, `{"value":`...), f[pvValue].Raw...), '}'), nil
	default:
		return d.appendFieldsArray(b, out, p, rep)
	}
}

// appendSplits keeps {classificationId, type, startPage, endPage} per
// split; id, observation and identifier are dropped ([lossy]).
func (d *doc) appendSplits(b []byte, splits gjson.Result, p *reqPath, rep *Report) ([]byte, error) {
	b = append(b, `{"splits":[`...)
	sp := p.member("splits")
	k := 0
	var err error
	d.each(splits, func(_ string, s gjson.Result) bool {
		at := sp.elem(k)
		if !s.IsObject() {
			err = errAt(&at, "must be an object")
			return false
		}
		var f [4]gjson.Result
		var cnt [4]int
		n := d.tally(s, providedSplitKeys, f[:], cnt[:])
		for i, key := range providedSplitKeys {
			if !providedSplitKinds[i].matches(f[i]) {
				kp := at.member(key)
				err = errAt(&kp, "is required and must be "+kindNames[providedSplitKinds[i]])
				return false
			}
		}
		if n > cnt[0]+cnt[1]+cnt[2]+cnt[3] {
			d.dropExcept(s, &at, rep, providedSplitKeys)
		}
		if k > 0 {
			b = append(b, ',')
		}
		for i, lit := range splitLits {
			b = append(append(b, lit...), f[i].Raw...)
		}
		b = append(b, '}')
		k++
		return true
	})
	if err != nil {
		return b, err
	}
	return append(b, "]}"...), nil
}

// appendFieldsArray turns {fieldId: {id, value?, type?, confidence?, page?}}
// into {value: {fieldId: value}}. type, confidence and page are dropped
// ([lossy]). [silent] An entry without value becomes null, because the new
// API wants every schema property present.
func (d *doc) appendFieldsArray(b []byte, out gjson.Result, p *reqPath, rep *Report) ([]byte, error) {
	w := openObj(append(b, `{"value":`...))
	var err error
	d.each(out, func(name string, v gjson.Result) bool {
		var f [2]gjson.Result
		var cnt [2]int
		n := 0
		if v.IsObject() {
			n = d.tally(v, fieldKeys, f[:], cnt[:])
		}
		if f[0].Type != gjson.String {
			err = errAt(p, "matches none of the legacy output shapes (splitter, classifier, {value}, fields array)")
			return false
		}
		if n > cnt[0]+cnt[1] {
			fp := p.member(name)
			d.dropExcept(v, &fp, rep, fieldKeys)
		}
		w.key(name)
		if f[1].Exists() {
			w.b = append(w.b, f[1].Raw...)
		} else {
			w.b = append(w.b, "null"...)
		}
		return true
	})
	if err != nil {
		return w.b, err
	}
	return append(w.close(), '}'), nil
}
