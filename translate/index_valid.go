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
func (d *doc) index() (int, bool) {
	s := d.src
	i := skipSpace(s, 0)
	start := i
	i, ok := d.scan(i)
	if !ok {
		return 0, false
	}
	return start, skipSpace(s, i) == len(s)
}

// scan validates the value at i (spaces allowed before it) and everything
// nested in it, returning the offset after it.
func (d *doc) scan(i int) (int, bool) {
	s := d.src
	var ok bool
	for {
		// A value is expected at i.
		i = skipSpace(s, i)
		if i >= len(s) {
			return i, false
		}
		switch c := s[i]; c {
		case '{', '[':
			d.stack = append(d.stack, int32(len(d.spans)))
			d.spans = append(d.spans, span{open: int32(i)})
			d.closer = c + 2 // '{'+2 == '}', '['+2 == ']'
			i = skipSpace(s, i+1)
			if i >= len(s) {
				return i, false
			}
			if s[i] == c+2 {
				i = d.closeTop(i)
				break
			}
			if c == '{' {
				if i, ok = scanKey(s, i); !ok {
					return i, false
				}
			}
			continue
		case '"':
			if i, ok = scanString(s, i+1); !ok {
				return i, false
			}
		default:
			if i, ok = scanScalar(s, i); !ok {
				return i, false
			}
		}
		// A value ended at i: close containers until one expects another value.
		if i, ok = d.afterValue(i); !ok || len(d.stack) == 0 {
			return i, ok
		}
	}
}

// scanScalar validates a literal or a number at i.
func scanScalar(s string, i int) (int, bool) {
	switch c := s[i]; c {
	case 't':
		return scanLiteral(s, i, "true")
	case 'f':
		return scanLiteral(s, i, "false")
	case 'n':
		return scanLiteral(s, i, "null")
	default:
		if c != '-' && (c < '0' || c > '9') {
			return i, false
		}
		return scanNumber(s, i+1)
	}
}

// afterValue consumes what follows a value: commas (and the next key in an
// object) or closing brackets. It returns with the offset of the next value,
// or with an empty stack when the top-level value is complete.
func (d *doc) afterValue(i int) (int, bool) {
	s := d.src
	for len(d.stack) > 0 {
		i = skipSpace(s, i)
		if i >= len(s) {
			return i, false
		}
		switch s[i] {
		case ',':
			if d.closer == '}' {
				return scanKey(s, skipSpace(s, i+1))
			}
			return i + 1, true
		case d.closer:
			i = d.closeTop(i)
		default:
			return i, false
		}
	}
	return i, true
}

// closeTop records that the innermost open container closes at i.
func (d *doc) closeTop(i int) int {
	top := d.stack[len(d.stack)-1]
	d.stack = d.stack[:len(d.stack)-1]
	d.spans[top].end = int32(i + 1)
	d.closer = 0
	if n := len(d.stack); n > 0 {
		d.closer = d.src[d.spans[d.stack[n-1]].open] + 2
	}
	return i + 1
}

// scanKey validates `"key" :` at i and returns the offset after the colon.
func scanKey(s string, i int) (int, bool) {
	if i >= len(s) || s[i] != '"' {
		return i, false
	}
	i, ok := scanString(s, i+1)
	if !ok {
		return i, false
	}
	if i < len(s) && s[i] == ':' { // compact JSON: no space to skip
		return i + 1, true
	}
	i = skipSpace(s, i)
	if i >= len(s) || s[i] != ':' {
		return i, false
	}
	return i + 1, true
}

// scanString validates a string body starting after its opening quote.
func scanString(s string, i int) (int, bool) {
	for {
		i = nextSpecial(s, i)
		if i >= len(s) {
			return i, false
		}
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
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for i+8 <= len(s) {
		v := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		q := v ^ (ones * '"')
		bs := v ^ (ones * '\\')
		if m := ((q-ones)&^q | (bs-ones)&^bs | (v-ones*' ')&^v) & highs; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
		i += 8
	}
	for i < len(s) && !strSpecial[s[i]] {
		i++
	}
	return i
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

// scanNumber validates a number whose first byte (sign or digit) is at i-1.
func scanNumber(s string, i int) (int, bool) {
	i--
	if s[i] == '-' {
		i++
		if i == len(s) || s[i] < '0' || s[i] > '9' {
			return i, false
		}
	}
	if s[i] == '0' {
		i++
	} else {
		i = scanDigits(s, i)
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i == len(s) || s[i] < '0' || s[i] > '9' {
			return i, false
		}
		i = scanDigits(s, i)
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i == len(s) || s[i] < '0' || s[i] > '9' {
			return i, false
		}
		i = scanDigits(s, i)
	}
	return i, true
}
