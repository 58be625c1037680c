package proxy

import (
	"encoding/hex"
	"io"
	"math/rand/v2"
	"strconv"
	"sync"

	"go.uber.org/zap"
)

// readBodySized reads at most max+1 bytes of an upstream body into a buffer
// from bodyPool (or a new one sized by the announced length): no doubling as
// with io.ReadAll, which for a 200 KB body allocates and copies about twice
// the body, and no allocation at all once a recycled buffer is big enough.
func readBodySized(r io.Reader, length, max int64) ([]byte, error) {
	b := (*bodyPool.Get().(*[]byte))[:0]
	if length >= 0 && length <= max && int64(cap(b)) < length+1 {
		// One byte more than announced, so a longer body than its header still shows.
		b = make([]byte, 0, length+1)
	}
	lr := io.LimitReader(r, max+1)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // unknown length, or longer than announced: grow
		}
		n, err := lr.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// bodyPool holds upstream body buffers that a handler has finished with.
var bodyPool = sync.Pool{New: func() any { return new([]byte) }}

// maxRecycledBody keeps a freak body's buffer from staying in the pool.
const maxRecycledBody = 8 << 20

// recycleBody returns an upstream body to bodyPool once nothing refers to it
// any more: the translated answer is a copy, so the raw body can go as soon
// as translation returns. Bodies kept by errors or fan-out results are
// simply never recycled.
func recycleBody(b []byte) {
	if cap(b) == 0 || cap(b) > maxRecycledBody {
		return
	}
	b = b[:0]
	bodyPool.Put(&b)
}

// codeText holds the decimal text of every HTTP status, so labelling a
// metric with a status allocates nothing.
var codeText = func() (t [600]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

func statusLabel(code int) string {
	if code >= 0 && code < len(codeText) {
		return codeText[code]
	}
	return strconv.Itoa(code)
}

// newRequestID makes "req_" and 24 hex digits from the runtime's
// per-thread ChaCha8 generator: unpredictable enough for an id that is not a
// secret, without a getrandom system call and with one allocation.
func newRequestID() string {
	var raw [12]byte
	a, b := rand.Uint64(), rand.Uint32()
	for i := range 8 {
		raw[i] = byte(a >> (8 * i))
	}
	for i := range 4 {
		raw[8+i] = byte(b >> (8 * i))
	}
	var out [4 + 24]byte
	copy(out[:], "req_")
	hex.Encode(out[4:], raw[:])
	return string(out[:])
}

// bufferPool lends the 32 KiB copy buffers of the passthrough reverse
// proxies (httputil.BufferPool), which otherwise allocate one per request.
type bufferPool struct{ p sync.Pool }

func newBufferPool() *bufferPool {
	return &bufferPool{p: sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}}
}

func (bp *bufferPool) Get() []byte  { return *bp.p.Get().(*[]byte) }
func (bp *bufferPool) Put(b []byte) { bp.p.Put(&b) }

// fieldsPool recycles the access log line's field slice.
var fieldsPool = sync.Pool{New: func() any { f := make([]zap.Field, 0, 16); return &f }}
