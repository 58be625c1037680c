package translate

import (
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// The N0 copy (appendNoNulls) as one pass over valid JSON text: spaces
// dropped, members whose value is null left out, keys written as the
// member-by-member writer wrote them (re-encoded by appendString), every
// other value copied as it is. The input is copied in runs, cut only where
// the output differs, so a clean value costs one copy.

// noNullsCopy is the state of one copy: the output, the text, and where
// the run not yet copied starts.
type noNullsCopy struct {
	b     []byte
	s     string
	start int
}

// appendNoNullsText copies the valid JSON value s less its nulls.
func appendNoNullsText(b []byte, s string) []byte {
	if noNullsAsIs(s) {
		return append(b, s...)
	}
	return copyNoNulls(b, s)
}

// copyNoNulls is the copy itself, walking s.
func copyNoNulls(b []byte, s string) []byte {
	c := noNullsCopy{b: b, s: s}
	end := c.value(0)
	return append(c.b, s[c.start:end]...)
}

// noNullsAsIs reports that the N0 copy of s is s itself, without walking it:
// no "null" anywhere, no byte at or below the space (so no space outside a
// string), no backslash and no byte outside ASCII (so no key to re-encode).
// Compact values without nulls, the usual kind, are then one copy; the
// checks are a substring search and a pass of eight bytes at a time.
func noNullsAsIs(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	if strings.Contains(s, "null") {
		return false
	}
	i := 0
	for ; i+8 <= len(s); i += 8 {
		v := word(s[i : i+8])
		bs := v ^ (ones * '\\')
		if ((v-ones*0x21)&^v|(bs-ones)&^bs|v)&highs != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == '\\' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// cut copies the run up to from and resumes it at to, leaving s[from:to] out.
func (c *noNullsCopy) cut(from, to int) {
	c.b = append(c.b, c.s[c.start:from]...)
	c.start = to
}

// space leaves out the spaces at i and returns where they end.
func (c *noNullsCopy) space(i int) int {
	j := skipSpace(c.s, i)
	if j != i {
		c.cut(i, j)
	}
	return j
}

// value walks the value at s[i] and returns the offset just past it.
func (c *noNullsCopy) value(i int) int {
	s := c.s
	switch s[i] {
	case '{':
		return c.object(i)
	case '[':
		return c.array(i)
	case '"':
		return stringEnd(s, i)
	}
	j := i + 1
	for j < len(s) && !isDelimiter(s[j]) {
		j++
	}
	return j
}

// object walks an object. A comma stays in the run only when the member
// after it is written and one was written before it.
func (c *noNullsCopy) object(i int) int {
	s := c.s
	i = c.space(i + 1)
	wrote, comma := false, -1
	for s[i] != '}' {
		ke, plain := stringEndPlain(s, i)
		colon := skipSpace(s, ke)
		vs := skipSpace(s, colon+1)
		var end int
		if s[vs] == 'n' { // null, the one value starting with n: left out
			end = vs + len("null")
			if comma >= 0 {
				c.cut(comma, end) // with the comma before it
			} else {
				c.cut(i, end)
			}
		} else {
			if !wrote && comma >= 0 {
				c.cut(comma, i)
			} else if comma >= 0 && comma+1 != i {
				c.cut(comma+1, i)
			}
			c.key(i, ke, plain)
			if colon != ke {
				c.cut(ke, colon)
			}
			if vs != colon+1 {
				c.cut(colon+1, vs)
			}
			end, wrote = c.value(vs), true
		}
		i = c.space(end)
		if s[i] == '}' {
			break
		}
		comma, i = i, skipSpace(s, i+1)
	}
	return i + 1
}

// key re-encodes the key s[ks:ke] when appendString would not write it as
// it is (plain: known to be written as it is).
func (c *noNullsCopy) key(ks, ke int, plain bool) {
	raw := c.s[ks:ke]
	inner := raw[1 : len(raw)-1]
	if plain || (strings.IndexByte(inner, '\\') < 0 && utf8.ValidString(inner)) {
		return
	}
	c.cut(ks, ke)
	c.b = appendKey(c.b, raw)
}

func (c *noNullsCopy) array(i int) int {
	s := c.s
	i = c.space(i + 1)
	for s[i] != ']' {
		i = c.space(c.value(i))
		if s[i] == ']' {
			break
		}
		i = c.space(i + 1)
	}
	return i + 1
}

// appendKey writes a raw key as appendString writes its value: the raw
// text itself unless it has escapes or invalid UTF-8.
func appendKey(b []byte, raw string) []byte {
	inner := raw[1 : len(raw)-1]
	if strings.IndexByte(inner, '\\') < 0 {
		if isASCII(inner) || utf8.ValidString(inner) {
			return append(b, raw...)
		}
		return appendString(b, inner)
	}
	return appendString(b, gjson.Parse(raw).Str)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// stringEndPlain is stringEnd, and whether the string is plain: printable
// ASCII without escapes, so appendString would write it as it is. Eight
// bytes are tested at a time (the doc scanner's bit trick, plus the high bit).
func stringEndPlain(s string, i int) (int, bool) {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	j := i + 1
	for j+8 <= len(s) {
		v := word(s[j : j+8])
		q, bs := v^(ones*'"'), v^(ones*'\\')
		if m := ((q-ones)&^q | (bs-ones)&^bs | v) & highs; m != 0 {
			j += bits.TrailingZeros64(m) >> 3
			break
		}
		j += 8
	}
	for j < len(s) && s[j] != '"' && s[j] != '\\' && s[j] < utf8.RuneSelf {
		j++
	}
	if s[j] == '"' {
		return j + 1, true
	}
	for ; ; j++ { // an escape or a non-ASCII byte: the careful way
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1, false
		}
	}
}

// isDelimiter reports whether c ends a number or literal in valid JSON.
func isDelimiter(c byte) bool {
	return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r'
}
