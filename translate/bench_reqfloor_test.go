package translate

import "testing"

// BenchmarkRatioRequestFloor measures, on the two bodies of
// BenchmarkRatioRequests, what any request transform that validates through
// the doc and hands back bodies of its own pays without translating
// anything: parseDoc, then the transform's output bytes copied into fresh
// allocations of the same sizes and count (one for the bytes, one for the
// [][]byte of a create). The transform's ratio cannot exceed the floor's.
func BenchmarkRatioRequestFloor(b *testing.B) {
	create, batch := requestBenchBodies()
	bodies, err := createRequests(create, Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	var created []byte
	for _, body := range bodies {
		created = append(created, body...)
	}
	n := len(bodies)
	b.Run("body=create_50_files", func(b *testing.B) {
		benchTransform(b, create, func(in []byte) error {
			d, _, _ := parseDoc(in)
			out := make([][]byte, n)
			out[0] = append([]byte(nil), created...)
			d.free()
			return nil
		})
	})
	batched, _, err := batchRequestBody(batch, Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("body=batch_1000_inputs", func(b *testing.B) {
		benchTransform(b, batch, func(in []byte) error {
			d, _, _ := parseDoc(in)
			_ = append([]byte(nil), batched...)
			d.free()
			return nil
		})
	})
}
