package sim

import (
	"net/http"
	"slices"

	"github.com/tidwall/gjson"
)

// processorCreate serves POST /processors: {name, type, cloneProcessorId?, config?}.
func (s *Sim) processorCreate(_ *http.Request, body []byte, legacy bool) (int, []byte, *apiError) {
	root, err := parseObject(body)
	if err != nil {
		return 0, nil, err
	}
	if err := checkKeys("body", root, "name", "type", "cloneProcessorId", "config"); err != nil {
		return 0, nil, err
	}
	name, err := reqString(root, "name", "body")
	if err != nil {
		return 0, nil, err
	}
	typ := field(root, "type").String()
	if field(root, "type").Type != gjson.String || !slices.Contains(processorTypes, typ) {
		return 0, nil, badRequest("type is required and must be EXTRACT, CLASSIFY or SPLITTER")
	}
	cloneID, _, err := optString(root, "cloneProcessorId", "body")
	if err != nil {
		return 0, nil, err
	}
	cfg, legacyCfg := defaultConfig(typ), []byte(nil)
	if c := field(root, "config"); c.Exists() {
		if err := checkProcessorConfig(c, typ, legacy); err != nil {
			return 0, nil, err
		}
		cfg, legacyCfg = storeConfig(c, legacy)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cloneID != "" {
		src, err := s.processorLocked(cloneID)
		if err != nil {
			return 0, nil, err
		}
		if src.typ != typ {
			return 0, nil, badRequest("cloneProcessorId %s is a %s processor, not %s", cloneID, src.typ, typ)
		}
		if !field(root, "config").Exists() {
			cfg, legacyCfg = src.draft.config, src.draft.legacyCfg
		}
	}
	now := s.opt.Now()
	pre := processorIDPrefix[typ]
	p := &processor{seq: s.st.nextSeq(), id: newID(pre[0], 20), name: name, typ: typ, created: now, updated: now}
	p.draft = procVersion{id: newID(pre[1], 20), version: "draft", config: cfg, legacyCfg: legacyCfg, created: now, updated: now}
	s.st.processors.add(p.id, p, s.opt.MaxRuns)
	return processorEnvelope(p, legacy)
}

// processorUpdate serves POST /processors/{id}: {name?, config?} on the draft.
func (s *Sim) processorUpdate(req *http.Request, body []byte, legacy bool) (int, []byte, *apiError) {
	root, err := parseObject(body)
	if err != nil {
		return 0, nil, err
	}
	if err := checkKeys("body", root, "name", "config"); err != nil {
		return 0, nil, err
	}
	name, hasName, err := optString(root, "name", "body")
	if err != nil {
		return 0, nil, err
	}
	if hasName && name == "" {
		return 0, nil, badRequest("name must not be empty")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.processorLocked(pathID(req, "id"))
	if err != nil {
		return 0, nil, err
	}
	if c := field(root, "config"); c.Exists() {
		if err := checkProcessorConfig(c, p.typ, legacy); err != nil {
			return 0, nil, err
		}
		p.draft.config, p.draft.legacyCfg = storeConfig(c, legacy)
	}
	if hasName {
		p.name = name
	}
	p.updated = s.opt.Now()
	p.draft.updated = p.updated
	return processorEnvelope(p, legacy)
}

// publish serves POST /processors/{id}/publish: {releaseType, description?, config?}.
func (s *Sim) publish(req *http.Request, body []byte, legacy bool) (int, []byte, *apiError) {
	root, err := parseObject(body)
	if err != nil {
		return 0, nil, err
	}
	if err := checkKeys("body", root, "releaseType", "description", "config"); err != nil {
		return 0, nil, err
	}
	release := field(root, "releaseType").String()
	if field(root, "releaseType").Type != gjson.String || (release != "major" && release != "minor") {
		return 0, nil, badRequest("releaseType is required and must be major or minor")
	}
	desc, _, err := optString(root, "description", "body")
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.processorLocked(pathID(req, "id"))
	if err != nil {
		return 0, nil, err
	}
	cfg, legacyCfg := p.draft.config, p.draft.legacyCfg
	if c := field(root, "config"); c.Exists() {
		if err := checkProcessorConfig(c, p.typ, legacy); err != nil {
			return 0, nil, err
		}
		cfg, legacyCfg = storeConfig(c, legacy)
	}
	now := s.opt.Now()
	pv := &procVersion{id: newID(processorIDPrefix[p.typ][1], 20), version: p.nextVersion(release), description: desc,
		config: cfg, legacyCfg: legacyCfg, created: now, updated: now}
	p.versions = append(p.versions, pv)
	p.updated = now
	return marshal(struct {
		Success          bool                  `json:"success"`
		ProcessorVersion legacyProcVersionJSON `json:"processorVersion"`
	}{true, p.renderVersion(pv, legacy)})
}
