package webhook

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// stringify re-encodes valid JSON exactly as JavaScript's JSON.stringify
// prints the parsed value: compact, keys in their order, '&', '<', '>' and
// non-ASCII literal, numbers in JS form. The legacy docs verify signatures
// over JSON.stringify(request.body), so a delivery body must be that string.
// Duplicate keys keep the last value in the first key's place, as JS does.
func stringify(v gjson.Result) []byte {
	return appendJS(make([]byte, 0, len(v.Raw)), v)
}

func appendJS(b []byte, v gjson.Result) []byte {
	switch {
	case v.IsObject():
		return appendJSObject(b, v)
	case v.IsArray():
		b = append(b, '[')
		n := 0
		v.ForEach(func(_, e gjson.Result) bool {
			if n > 0 {
				b = append(b, ',')
			}
			n++
			b = appendJS(b, e)
			return true
		})
		return append(b, ']')
	case v.Type == gjson.String:
		return appendJSString(b, v.Str)
	case v.Type == gjson.Number:
		return appendJSNumber(b, v.Num)
	case v.Type == gjson.True:
		return append(b, "true"...)
	case v.Type == gjson.False:
		return append(b, "false"...)
	default:
		return append(b, "null"...)
	}
}

func appendJSObject(b []byte, v gjson.Result) []byte {
	var keys []string
	vals := map[string]gjson.Result{}
	v.ForEach(func(k, e gjson.Result) bool {
		if _, dup := vals[k.Str]; !dup {
			keys = append(keys, k.Str)
		}
		vals[k.Str] = e
		return true
	})
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSString(b, k)
		b = append(b, ':')
		b = appendJS(b, vals[k])
	}
	return append(b, '}')
}

// appendJSString quotes s as JSON.stringify does: only '"', '\\' and control
// characters are escaped (\b \f \n \r \t short forms, others \u00xx).
func appendJSString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, "\ufffd"...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hexDigit[c>>4], hexDigit[c&0xf])
			} else {
				b = append(b, c)
			}
		}
		i++
	}
	return append(b, '"')
}

const hexDigit = "0123456789abcdef"

// appendJSNumber prints f as JavaScript's Number.prototype.toString does.
func appendJSNumber(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	if f == 0 {
		return append(b, '0') // -0 prints as 0
	}
	abs := math.Abs(f)
	if abs >= 1e21 || abs < 1e-6 {
		s := strconv.FormatFloat(f, 'e', -1, 64) // 1e+21, 1.5e-7
		mant, exp, _ := strings.Cut(s, "e")
		if exp[0] == '-' || exp[0] == '+' {
			sign := exp[0]
			exp = strings.TrimLeft(exp[1:], "0")
			return append(append(append(b, mant...), 'e', sign), exp...)
		}
		return append(b, s...)
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}
