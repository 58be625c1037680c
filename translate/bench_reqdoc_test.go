package translate

import (
	"testing"

	"github.com/tidwall/gjson"
)

// BenchmarkRatioRequestDoc measures, on the create body of
// BenchmarkRatioRequests, what any transform reading through the doc pays
// before writing a byte: parseDoc alone (validation and index), and parseDoc
// plus one d.each over every object and array (each member read once).
// The request transforms cannot be faster than the walk.
func BenchmarkRatioRequestDoc(b *testing.B) {
	file := `{"fileUrl":"https://files.example.org/inbox/1.pdf?sig=4f9c","fileName":"1.pdf",` +
		`"outputs":[{"processorId":"cl_Mm1Nn3Bb5Vv7Cc9Xx1Zz","output":{"id":"invoice","type":"invoice","confidence":1}}]}`
	create := repeatArray(`{"workflowId":"workflow_Hq2Rz8KpLm4vN7sT1aWc","version":"3","priority":20,"metadata":{"tenant":"northwind"},"files":[`,
		file, `]}`, 50)
	b.Run("parse", func(b *testing.B) {
		benchTransform(b, create, func(in []byte) error {
			d, _, _ := parseDoc(in)
			d.free()
			return nil
		})
	})
	b.Run("walk", func(b *testing.B) {
		benchTransform(b, create, func(in []byte) error {
			d, r, _ := parseDoc(in)
			var walk func(r gjson.Result)
			walk = func(r gjson.Result) {
				d.each(r, func(_ string, v gjson.Result) bool {
					if v.Type == gjson.JSON {
						walk(v)
					}
					return true
				})
			}
			walk(r)
			d.free()
			return nil
		})
	})
}
