package translate

// The provided-output conversion as it was before the doc rewrite; see reqref_test.go.

import "github.com/tidwall/gjson"

// refProvidedOutput converts a legacy ProvidedProcessorOutput (an untagged union,
// L§4.11) to the new one. The shapes are tested in the order of mapping
// §3.1.3: splitter, classifier, JSON extraction, fields-array extraction.
func refProvidedOutput(out gjson.Result, path string, rep *Report) ([]byte, error) {
	if !out.IsObject() {
		return nil, reqErr(path, "is required and must be an object")
	}
	switch {
	case out.Get("splits").IsArray():
		return refProvidedSplits(out, path, rep)
	case out.Get("id").Type == gjson.String && out.Get("type").Type == gjson.String:
		return refProvidedClassifier(out, path, rep), nil
	case refIsProvidedJSON(out):
		return append(append([]byte(`{"value":`), out.Get("value").Raw...), '}'), nil
	default:
		return refProvidedFieldsArray(out, path, rep)
	}
}

// refIsProvidedJSON reports the ProvidedJsonOutput shape: exactly one key, value, holding an object.
func refIsProvidedJSON(out gjson.Result) bool {
	n, ok := 0, false
	out.ForEach(func(k, v gjson.Result) bool {
		n++
		ok = k.String() == "value" && v.IsObject()
		return n < 2
	})
	return n == 1 && ok
}

// refDropExcept records every key of r outside keep as unmapped (lossy drops).
func refDropExcept(r gjson.Result, path string, rep *Report, keep ...string) {
	if rep == nil {
		return
	}
	r.ForEach(func(k, _ gjson.Result) bool {
		name := k.String()
		for _, kp := range keep {
			if name == kp {
				return true
			}
		}
		rep.unmapped(join(path, name))
		return true
	})
}

// refProvidedClassifier keeps {id, type}; confidence is dropped ([lossy]).
func refProvidedClassifier(out gjson.Result, path string, rep *Report) []byte {
	refDropExcept(out, path, rep, "id", "type")
	w := openObj(nil)
	w.raw("id", out.Get("id").Raw)
	w.raw("type", out.Get("type").Raw)
	return w.close()
}

// refProvidedSplits keeps {classificationId, type, startPage, endPage} per
// split; id, observation and identifier are dropped ([lossy]).
func refProvidedSplits(out gjson.Result, path string, rep *Report) ([]byte, error) {
	refDropExcept(out, path, rep, "splits")
	w := openObj(nil)
	w.key("splits")
	w.b = append(w.b, '[')
	for k, s := range out.Get("splits").Array() {
		sp := index(join(path, "splits"), k)
		if !s.IsObject() {
			return nil, reqErr(sp, "must be an object")
		}
		keys := []string{"classificationId", "type", "startPage", "endPage"}
		kinds := []kind{kString, kString, kNumber, kNumber}
		for i, key := range keys {
			if !kinds[i].matches(s.Get(key)) {
				return nil, reqErr(join(sp, key), "is required and must be "+kindNames[kinds[i]])
			}
		}
		refDropExcept(s, sp, rep, keys...)
		if k > 0 {
			w.b = append(w.b, ',')
		}
		sw := openObj(w.b)
		for _, key := range keys {
			sw.raw(key, s.Get(key).Raw)
		}
		w.b = sw.close()
	}
	w.b = append(w.b, ']')
	return w.close(), nil
}

// refProvidedFieldsArray turns {fieldId: {id, value?, type?, confidence?, page?}}
// into {value: {fieldId: value}}. type, confidence and page are dropped
// ([lossy]). [silent] An entry without value becomes null, because the new
// API wants every schema property present.
func refProvidedFieldsArray(out gjson.Result, path string, rep *Report) ([]byte, error) {
	w := openObj([]byte(`{"value":`))
	var err error
	out.ForEach(func(k, v gjson.Result) bool {
		fp := join(path, k.String())
		if !v.IsObject() || v.Get("id").Type != gjson.String {
			err = reqErr(path, "matches none of the legacy output shapes (splitter, classifier, {value}, fields array)")
			return false
		}
		refDropExcept(v, fp, rep, "id", "value")
		w.key(k.String())
		if val := v.Get("value"); val.Exists() {
			w.b = append(w.b, val.Raw...)
		} else {
			w.b = append(w.b, "null"...)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	return append(w.close(), '}'), nil
}
