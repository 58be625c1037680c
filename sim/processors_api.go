package sim

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/gorilla/mux"
)

// processorRoutes serves the processor family in either version: the same
// paths and envelopes, legacy only deciding validation and config shapes.
func (s *Sim) processorRoutes(m *mux.Router, legacy bool) {
	h := func(path string, f func(*http.Request, []byte, bool) (int, []byte, *apiError), method string) {
		m.HandleFunc(path, s.wrap(func(r *http.Request, b []byte) (int, []byte, *apiError) { return f(r, b, legacy) }, legacy)).Methods(method)
	}
	get, post, del := http.MethodGet, http.MethodPost, http.MethodDelete
	h("/processors", s.processorList, get)
	h("/processors", s.processorCreate, post)
	h("/processors/{id}", s.processorUpdate, post)
	h("/processors/{id}/versions", s.versionList, get)
	h("/processors/{id}/versions/{versionId}", s.versionGet, get)
	h("/processors/{id}/publish", s.publish, post)
	h("/processor_runs", s.procRunList, get)
	h("/processor_runs", s.procRunCreate, post)
	h("/processor_runs/{id}", s.procRunGet, get)
	h("/processor_runs/{id}", s.procRunDelete, del)
	h("/processor_runs/{id}/cancel", s.procRunCancel, post)
	h("/batch_processor_runs/{id}", s.batchRunGet, get)
}

// processorVersionJSON is the legacy ProcessorVersion (Legacy* in 2026).
type legacyProcVersionJSON struct {
	Object        string          `json:"object"`
	ID            string          `json:"id"`
	ProcessorID   string          `json:"processorId"`
	ProcessorName string          `json:"processorName,omitempty"`
	ProcessorType string          `json:"processorType"`
	Description   string          `json:"description,omitempty"`
	Version       string          `json:"version"`
	Config        json.RawMessage `json:"config"`
	CreatedAt     string          `json:"createdAt"`
	UpdatedAt     string          `json:"updatedAt"`
}

type legacyProcessorJSON struct {
	Object       string                `json:"object"`
	ID           string                `json:"id"`
	Name         string                `json:"name"`
	Type         string                `json:"type"`
	CreatedAt    string                `json:"createdAt"`
	UpdatedAt    string                `json:"updatedAt"`
	DraftVersion legacyProcVersionJSON `json:"draftVersion"`
}

func (p *processor) renderVersion(pv *procVersion, legacy bool) legacyProcVersionJSON {
	return legacyProcVersionJSON{Object: "document_processor_version", ID: pv.id, ProcessorID: p.id, ProcessorName: p.name,
		ProcessorType: p.typ, Description: pv.description, Version: pv.version, Config: renderConfig(pv, legacy),
		CreatedAt: fmtTime(pv.created), UpdatedAt: fmtTime(pv.updated)}
}

func (p *processor) render(legacy bool) legacyProcessorJSON {
	return legacyProcessorJSON{Object: "document_processor", ID: p.id, Name: p.name, Type: p.typ,
		CreatedAt: fmtTime(p.created), UpdatedAt: fmtTime(p.updated), DraftVersion: p.renderVersion(&p.draft, legacy)}
}

type listedProcessorJSON struct {
	Object    string              `json:"object"`
	ID        string              `json:"id"`
	Name      string              `json:"name"`
	Type      string              `json:"type"`
	Versions  []listedVersionJSON `json:"versions"`
	CreatedAt string              `json:"createdAt"`
	UpdatedAt string              `json:"updatedAt"`
}

type listedVersionJSON struct {
	ID      string `json:"id"`
	Version string `json:"version"`
}

func (s *Sim) processorList(req *http.Request, _ []byte, legacy bool) (int, []byte, *apiError) {
	v := req.URL.Query()
	typ := v.Get("type")
	if typ != "" && !slices.Contains(processorTypes, typ) {
		return 0, nil, badRequest("type must be EXTRACT, CLASSIFY or SPLITTER (got %q)", typ)
	}
	q, err := parsePage(v, []string{"createdAt", "updatedAt"}, typ)
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []*processor
	for _, p := range s.st.processors.all() {
		if typ == "" || p.typ == typ {
			match = append(match, p)
		}
	}
	page, next := pageOf(q, match, func(p *processor) (string, uint64) {
		if q.sortBy == "updatedAt" {
			return fmtTime(p.updated), p.seq
		}
		return fmtTime(p.created), p.seq
	})
	items := make([]listedProcessorJSON, 0, len(page))
	for _, p := range page {
		lp := listedProcessorJSON{Object: "document_processor", ID: p.id, Name: p.name, Type: p.typ, Versions: []listedVersionJSON{},
			CreatedAt: fmtTime(p.created), UpdatedAt: fmtTime(p.updated)}
		for _, pv := range p.versions {
			lp.Versions = append(lp.Versions, listedVersionJSON{pv.id, pv.version})
		}
		items = append(items, lp)
	}
	if legacy {
		return marshal(struct {
			Success       bool                  `json:"success"`
			Processors    []listedProcessorJSON `json:"processors"`
			NextPageToken string                `json:"nextPageToken,omitempty"`
		}{true, items, next})
	}
	// 2026-02-09 sends its nullable keys as null (LegacyListProcessorsResponse).
	return marshal(struct {
		Success       bool                  `json:"success"`
		Warning       *string               `json:"warning"`
		Processors    []listedProcessorJSON `json:"processors"`
		NextPageToken *string               `json:"nextPageToken"`
	}{true, nil, items, nullable(next)})
}

func processorEnvelope(p *processor, legacy bool) (int, []byte, *apiError) {
	return marshal(struct {
		Success   bool                `json:"success"`
		Processor legacyProcessorJSON `json:"processor"`
	}{true, p.render(legacy)})
}

func (s *Sim) versionList(req *http.Request, _ []byte, legacy bool) (int, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.processorLocked(pathID(req, "id"))
	if err != nil {
		return 0, nil, err
	}
	out := struct {
		Success  bool                    `json:"success"`
		Versions []legacyProcVersionJSON `json:"versions"`
	}{Success: true, Versions: []legacyProcVersionJSON{}}
	for i := len(p.versions) - 1; i >= 0; i-- { // newest first
		out.Versions = append(out.Versions, p.renderVersion(p.versions[i], legacy))
	}
	out.Versions = append(out.Versions, p.renderVersion(&p.draft, legacy))
	return marshal(out)
}

func (s *Sim) versionGet(req *http.Request, _ []byte, legacy bool) (int, []byte, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.processorLocked(pathID(req, "id"))
	if err != nil {
		return 0, nil, err
	}
	vid := pathID(req, "versionId")
	pv, err := p.version(vid)
	if err != nil || vid == "latest" {
		return 0, nil, notFound("Processor version %s not found.", vid)
	}
	return marshal(struct {
		Success bool                  `json:"success"`
		Version legacyProcVersionJSON `json:"version"`
	}{true, p.renderVersion(pv, legacy)})
}
