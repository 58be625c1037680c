package translate

import "sync"

// scratch is a reusable output buffer. A response is built in a pooled
// buffer that has grown to the size of earlier answers, then copied once into
// a result of exactly its size: no regrowth while writing, and the caller
// owns a right-sized slice.
type scratch struct{ b []byte }

var bufPool = sync.Pool{New: func() any { return &scratch{b: make([]byte, 0, 4096)} }}

// maxPooledBuf keeps one huge answer from pinning its buffer in the pool.
const maxPooledBuf = 4 << 20

func getBuf() *scratch { return bufPool.Get().(*scratch) }

func putBuf(s *scratch) {
	if cap(s.b) > maxPooledBuf {
		return
	}
	s.b = s.b[:0]
	bufPool.Put(s)
}

// result copies the buffer into a slice of its own.
func (s *scratch) result() []byte { return append([]byte(nil), s.b...) }

// answer finishes a response built in sb. With a Context, the answer is sb's
// own bytes, held by c until c.Release (the proxy releases once the answer
// is written: a 200 KB answer is then neither copied nor allocated); without
// one it is copied and sb goes straight back to the pool. On error sb is
// returned to the pool.
func answer(c *Context, sb *scratch, err error) ([]byte, error) {
	if err != nil {
		putBuf(sb)
		return nil, err
	}
	if c == nil {
		b := sb.result()
		putBuf(sb)
		return b, nil
	}
	c.pooled = append(c.pooled, sb)
	return sb.b, nil
}

// Release hands the buffers of the answers built for c back for reuse. No
// body a response transform returned on c may be used afterwards. Not
// calling it is safe: the buffers are then left to the garbage collector.
func (c *Context) Release() {
	for i, sb := range c.pooled {
		if poisonReleased {
			for j := range sb.b {
				sb.b[j] = '#'
			}
		}
		putBuf(sb)
		c.pooled[i] = nil
	}
	c.pooled = c.pooled[:0]
}
