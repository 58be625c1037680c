package translate

import (
	"sync"

	"github.com/tidwall/gjson"
)

// itemScratch is what an item answer needs besides its output buffer: the
// full items of a list (D6) and the item → set pairs it learns. Pooled, so
// a list of a hundred items costs no allocation per item.
type itemScratch struct {
	docs    []*doc               // the full items' docs, freed on release
	details map[string]detailRef // item id → full item; the last one wins
	gone    map[string]bool      // items deleted since the list was read
	arena   []byte               // learned ids, copied out of the bodies
	pairs   []learnedPair
}

// detailRef is a full item's expectedOutput and the doc it lives in.
type detailRef struct {
	d        *doc
	expected gjson.Result
}

var detailKeys = []string{"id", "expectedOutput"}

// learnedPair locates one item → set pair: the id in arena, the set in
// arena too (set[0] >= 0) or in owned.
type learnedPair struct {
	id, set [2]int32
	owned   string
}

var itemScratchPool = sync.Pool{New: func() any {
	return &itemScratch{details: map[string]detailRef{}, gone: map[string]bool{}}
}}

// maxPooledDetails keeps one huge list from pinning big maps in the pool
// (clearing a map costs its capacity, not its length).
const maxPooledDetails = 1024

func getItemScratch() *itemScratch { return itemScratchPool.Get().(*itemScratch) }

// release frees the full items' docs and returns s to the pool.
func (s *itemScratch) release() {
	for _, d := range s.docs {
		d.free()
	}
	big := len(s.details) > maxPooledDetails || len(s.gone) > maxPooledDetails || cap(s.arena) > maxPooledBuf
	clear(s.docs)
	clear(s.details)
	clear(s.gone)
	s.docs, s.arena, s.pairs = s.docs[:0], s.arena[:0], s.pairs[:0]
	if !big {
		itemScratchPool.Put(s)
	}
}

// readDetails indexes the full items Bodies[1:] by id; a "null" body stands
// for an item deleted since the list (Bodies[0]) was read, and bodies that
// are not JSON objects are ignored.
func (s *itemScratch) readDetails(bodies [][]byte) {
	var ids []string
	for j, body := range bodies[1:] {
		if string(body) == "null" {
			if ids == nil {
				ids = evaluationItemIDs(bodies[0]) // rare: only when an item went away
			}
			if j < len(ids) {
				s.gone[ids[j]] = true
				continue
			}
		}
		dd, r, err := parseResponse(body)
		if err != nil {
			continue
		}
		s.docs = append(s.docs, dd)
		var f [2]gjson.Result
		dd.pick(r, detailKeys, f[:])
		s.details[resultString(f[0])] = detailRef{d: dd, expected: f[1]}
	}
}

// learn notes that item id belongs to set setID (Context.learn's rule:
// both non-empty). id, a view of an upstream body, is copied into the
// arena; so is setID unless owned says it is the caller's own string.
func (s *itemScratch) learn(id, setID string, owned bool) {
	if id == "" || setID == "" {
		return
	}
	p := learnedPair{id: s.keep(id), set: [2]int32{-1, -1}, owned: setID}
	if !owned {
		p.set, p.owned = s.keep(setID), ""
	}
	s.pairs = append(s.pairs, p)
}

func (s *itemScratch) keep(v string) [2]int32 {
	at := len(s.arena)
	s.arena = append(s.arena, v...)
	return [2]int32{int32(at), int32(len(s.arena))}
}

// flush hands the learned pairs to c, in order, with one allocation for
// all their strings.
func (s *itemScratch) flush(c *Context) {
	if len(s.pairs) == 0 {
		return
	}
	all := string(s.arena)
	if c.Parents == nil {
		c.Parents = make(map[string]string, len(s.pairs))
	}
	for _, p := range s.pairs {
		set := p.owned
		if p.set[0] >= 0 {
			set = all[p.set[0]:p.set[1]]
		}
		c.learn(all[p.id[0]:p.id[1]], set)
	}
}
