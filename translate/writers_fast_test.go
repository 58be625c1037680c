package translate

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestAppendTimeMatchesAppendFormat holds the hand-written time formatter to
// time.AppendFormat with the legacy layout, over random instants in every
// time zone offset, the edges of each field and years AppendFormat spells
// differently (negative, five digits).
func TestAppendTimeMatchesAppendFormat(t *testing.T) {
	want := func(t time.Time) string {
		return `"` + t.UTC().Format(legacyTimeLayout) + `"`
	}
	times := []time.Time{
		time.Unix(0, 0), time.Unix(0, 999_999_999), time.Unix(-1, 0),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(-1, 6, 15, 1, 2, 3, 4_000_000, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 2, 9, 12, 30, 0, 1_500_000, time.FixedZone("x", -11*3600)),
		{},
	}
	r := rand.New(rand.NewPCG(11, 2))
	for range 20000 {
		zone := time.FixedZone("z", (r.IntN(27)-13)*3600+r.IntN(4)*900)
		times = append(times, time.Unix(r.Int64N(1<<37)-1<<36, r.Int64N(1e9)).In(zone))
	}
	for _, tm := range times {
		if got := string(appendTime([]byte("x"), tm)); got != "x"+want(tm) {
			t.Fatalf("appendTime(%v) = %s, want x%s", tm, got, want(tm))
		}
	}
}
