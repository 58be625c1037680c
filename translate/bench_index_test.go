package translate

import (
	"errors"
	"testing"
)

// BenchmarkRatioIndex: the validating, indexing pass alone (parseDoc), the
// floor under every response transform, next to json.Valid on the same bytes.
func BenchmarkRatioIndex(b *testing.B) {
	index := func(in []byte) error {
		d, _, ok := parseDoc(in)
		if !ok {
			return errors.New("not valid")
		}
		d.free()
		return nil
	}
	b.Run("body=run_20kb", func(b *testing.B) { benchTransform(b, readTestdata(b, "perf/run-20kb.new.json"), index) })
	b.Run("body=run_217kb", func(b *testing.B) { benchTransform(b, readTestdata(b, "perf/run-217kb.new.json"), index) })
}
