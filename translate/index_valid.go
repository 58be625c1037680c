package translate

import (
	"math/bits"
	"unsafe"
)

// bytesString views b as a string without copying; the translators never
// modify their input, and no Result outlives the call that parsed it.
func bytesString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// index validates d.src with gjson.ValidBytes's grammar (no depth limit, no
// UTF-8 check, control characters refused in strings) in one iterative pass
// and records where every object and array ends. It returns the offset of
// the top-level value.
//
// It is one function with three states (a value is expected, a value has
// ended, an object key is expected) joined by goto, and keeps the index
// slices in locals: this pass is most of the cost of translating a large
// body, and a call or a slice header reloaded per token showed in profiles.
func (d *doc) index() (start int, ok bool) {
	s := d.src
	n := len(s)
	spans, stack := d.spans, d.stack
	defer func() { d.spans, d.stack = spans, stack }()
	var closer byte // closes the innermost open container, 0 at the top level
	i := skipSpace(s, 0)
	start = i

value: // a value is expected at i, spaces allowed before it
	i = skipSpace(s, i)
	if i >= n {
		return 0, false
	}
	switch c := s[i]; c {
	case '"':
		// Strings without escapes end at the first special byte, found
		// inline; anything else (an escape, a control character, the last
		// bytes of the body) goes the long way from there.
		for i++; i+8 <= n; i += 8 {
			if m := specialMask(word(s[i : i+8])); m != 0 {
				if i += bits.TrailingZeros64(m) >> 3; s[i] == '"' {
					i++
					goto ended
				}
				break
			}
		}
		if i, ok = scanString(s, i); !ok {
			return 0, false
		}
	case '{', '[':
		stack = append(stack, int32(len(spans)))
		spans = append(spans, span{open: int32(i)})
		closer = c + 2 // '{'+2 == '}', '['+2 == ']'
		i = skipSpace(s, i+1)
		if i >= n {
			return 0, false
		}
		if s[i] == closer {
			goto closeTop
		}
		if c == '{' {
			goto key
		}
		goto value
	case 't', 'f', 'n':
		if i, ok = scanScalar(s, i); !ok {
			return 0, false
		}
	default:
		if i, ok = scanNumber(s, i); !ok {
			return 0, false
		}
	}

ended: // a value ended at i
	if len(stack) == 0 {
		return start, skipSpace(s, i) == n
	}
	if i < n && s[i] == ',' { // compact JSON: no space to skip
		i++
	} else {
		i = skipSpace(s, i)
		if i >= n {
			return 0, false
		}
		if s[i] == closer {
			goto closeTop
		}
		if s[i] != ',' {
			return 0, false
		}
		i++
	}
	if closer == ']' {
		goto value
	}
	i = skipSpace(s, i)

key: // an object key is expected at i (no space before it)
	if i >= n || s[i] != '"' {
		return 0, false
	}
	for i++; i+8 <= n; i += 8 { // as for string values above
		if m := specialMask(word(s[i : i+8])); m != 0 {
			if i += bits.TrailingZeros64(m) >> 3; s[i] == '"' {
				i++
				goto colon
			}
			break
		}
	}
	if i, ok = scanString(s, i); !ok {
		return 0, false
	}
colon:
	if i < n && s[i] == ':' {
		i++
		goto value
	}
	i = skipSpace(s, i)
	if i >= n || s[i] != ':' {
		return 0, false
	}
	i++
	goto value

closeTop: // the innermost open container closes at i
	{
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		spans[top].end, spans[top].next = int32(i+1), int32(len(spans))
		i++
		closer = 0
		if k := len(stack); k > 0 {
			closer = s[spans[stack[k-1]].open] + 2
		}
		goto ended
	}
}

// scanScalar validates a literal or a number at i.
func scanScalar(s string, i int) (int, bool) {
	switch s[i] {
	case 't':
		return scanLiteral(s, i, "true")
	case 'f':
		return scanLiteral(s, i, "false")
	case 'n':
		return scanLiteral(s, i, "null")
	default:
		return scanNumber(s, i)
	}
}

// scanString validates a string body starting after its opening quote.
func scanString(s string, i int) (int, bool) {
	for {
		// nextSpecial, written out: one call per string instead of two.
		for i+8 <= len(s) {
			if m := specialMask(word(s[i : i+8])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				goto found
			}
			i += 8
		}
		for i < len(s) && !strSpecial[s[i]] {
			i++
		}
		if i >= len(s) {
			return i, false
		}
	found:
		switch s[i] {
		case '"':
			return i + 1, true
		case '\\':
			i++
			if i >= len(s) {
				return i, false
			}
			switch s[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for range 4 {
					i++
					if i >= len(s) || !isHex(s[i]) {
						return i, false
					}
				}
			default:
				return i, false
			}
			i++
		default: // a control character
			return i, false
		}
	}
}

// nextSpecial returns the offset of the first quote, backslash or control
// character at or after i, or len(s). It tests eight bytes at a time (SWAR):
// each bit trick below flags the bytes of a word that match, exactly for the
// lowest one (a borrow can only wrongly flag bytes above a true match), so
// the lowest flag is the answer.
func nextSpecial(s string, i int) int {
	for i+8 <= len(s) {
		if m := specialMask(word(s[i : i+8])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for i < len(s) && !strSpecial[s[i]] {
		i++
	}
	return i
}

// specialMask flags (high bit) the bytes of v that are a quote, a backslash
// or a control character; only the lowest flag is exact (see nextSpecial).
//
// Flipping bit 1 of every byte maps the quote (0x22) to 0x20 and keeps the
// control characters below 0x20 (and every other byte at or above 0x21), so
// one "less than 0x21" test finds both; the backslash is a test of its own.
func specialMask(v uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	t := v ^ (ones * 0x02)
	bs := v ^ (ones * '\\')
	return ((t-ones*0x21)&^t | (bs-ones)&^bs) & highs
}

// word reads eight bytes as a little-endian word. Slicing them first leaves
// one bounds check, and the compiler turns the shifts into a single load.
func word(w string) uint64 {
	_ = w[7]
	return uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
}

// strSpecial marks the bytes a string scan must stop at: the quote, the
// backslash and control characters; a table lookup keeps the loop tight.
var strSpecial = func() (t [256]bool) {
	for c := 0; c < ' '; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func scanLiteral(s string, i int, lit string) (int, bool) {
	if len(s)-i >= len(lit) && s[i:i+len(lit)] == lit {
		return i + len(lit), true
	}
	return i, false
}

func scanDigits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// scanNumber validates a number starting at i (a sign or a digit; anything
// else is refused).
func scanNumber(s string, i int) (int, bool) {
	n := len(s)
	if s[i] == '-' {
		i++
		if i == n {
			return i, false
		}
	}
	switch c := s[i]; {
	case c == '0':
		i++
	case c >= '1' && c <= '9':
		i = scanDigits(s, i+1)
	default:
		return i, false
	}
	if i < n && s[i] == '.' {
		i++
		if i == n || s[i] < '0' || s[i] > '9' {
			return i, false
		}
		i = scanDigits(s, i)
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < n && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i == n || s[i] < '0' || s[i] > '9' {
			return i, false
		}
		i = scanDigits(s, i)
	}
	return i, true
}
