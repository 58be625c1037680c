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
