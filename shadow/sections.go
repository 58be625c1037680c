package shadow

import "sync"

// sections are extra top-level members of /admin/shadow.json that other
// comparisons (the webhook relay's) contribute, keyed by name.
type sections struct {
	mu sync.Mutex
	fn map[string]func() any
}

// AddSection makes /admin/shadow.json carry name: fn() next to "shadow" and
// "rollout"; the webhook relay adds "webhooks" this way. fn must be safe for
// concurrent use; a later call with the same name replaces it.
func (s *Shadower) AddSection(name string, fn func() any) {
	s.extra.mu.Lock()
	defer s.extra.mu.Unlock()
	if s.extra.fn == nil {
		s.extra.fn = map[string]func() any{}
	}
	s.extra.fn[name] = fn
}

// addSections copies every extra section into the JSON document.
func (s *Shadower) addSections(doc map[string]any) {
	s.extra.mu.Lock()
	defer s.extra.mu.Unlock()
	for name, fn := range s.extra.fn {
		if _, taken := doc[name]; !taken {
			doc[name] = fn()
		}
	}
}
