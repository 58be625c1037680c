//go:build !race

package translate

// poisonReleased: see poison_race.go.
const poisonReleased = false
