//go:build race

package translate

// poisonReleased: under the race detector (the test command's builds),
// Release overwrites the buffers it gives back, so a body used after its
// Context was released reads as garbage in tests instead of only once in a
// while under load.
const poisonReleased = true
