package sim

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// The processor family is still served in 2026-02-09 with its legacy
// envelopes (surface spec S§4); ids are new-style in both versions (D10) and
// the legacy dp_ aliases of the default workflow's processors are accepted.

// processor is one processor with its draft and published versions.
type processor struct {
	seq              uint64
	id, name, typ    string // typ: EXTRACT | CLASSIFY | SPLITTER
	created, updated time.Time
	draft            procVersion
	versions         []*procVersion
}

// procVersion is a draft or published version; config has the 2026 parser,
// legacyCfg the config as a legacy caller sent it (nil otherwise).
type procVersion struct {
	id, version, description string
	config, legacyCfg        json.RawMessage
	created, updated         time.Time
}

// BatchProcessorRunID is the sim's one batch processor run (an evaluation
// of the default extractor); nothing in the legacy SDK creates them.
const BatchProcessorRunID = "bpr_Ev1Ev2Ev3Ev4Ev5Ev6Ev"

var processorIDPrefix = map[string][2]string{"EXTRACT": {"ex_", "exv_"}, "CLASSIFY": {"cl_", "clv_"}, "SPLITTER": {"spl_", "splv_"}}

func mustTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// seedProcessors stores the default workflow's processors with their
// published versions, and the batch processor run.
func seedProcessors(st *surfaceState) {
	seed := func(p processorJSON, v processorVersionJSON, typ string, cfg json.RawMessage) {
		pr := &processor{seq: st.nextSeq(), id: p.ID, name: p.Name, typ: typ, created: mustTime(p.CreatedAt), updated: mustTime(p.UpdatedAt)}
		pr.draft = procVersion{id: processorIDPrefix[typ][1] + "draft_" + strings.SplitN(p.ID, "_", 2)[1], version: "draft",
			config: cfg, created: pr.created, updated: pr.updated}
		pv := &procVersion{id: v.ID, version: v.Version, description: deref(v.Description), config: cfg,
			created: mustTime(v.CreatedAt), updated: mustTime(v.CreatedAt)}
		pr.versions = append(pr.versions, pv)
		st.processors.pin(pr.id, pr)
	}
	seed(classifier, classifierVersion, "CLASSIFY", legacyClassifyConfig)
	seed(splitter, splitterVersion, "SPLITTER", legacySplitConfig)
	seed(extractor, extractorVersion, "EXTRACT", legacyExtractConfig)
	seed(condExtractor, condExtractorVersion, "EXTRACT", legacyCondConfig)
	ex, _ := st.processors.get(ExtractorID)
	st.batchRuns.pin(BatchProcessorRunID, &batchRun{id: BatchProcessorRunID, proc: ex, version: ex.versions[0],
		created: mustTime("2025-05-02T09:00:00Z"), updated: mustTime("2025-05-02T09:04:10Z")})
}

// processorLocked finds a processor by id or legacy alias.
func (s *Sim) processorLocked(id string) (*processor, *apiError) {
	if alias, ok := LegacyProcessorAliases()[id]; ok {
		id = alias
	}
	p, ok := s.st.processors.get(id)
	if !ok {
		return nil, notFound("Processor %s not found.", id)
	}
	return p, nil
}

// versionLocked resolves a version name: "" and "latest" are the newest
// published version (the draft when none), "draft" the draft, else a number or id.
func (p *processor) version(v string) (*procVersion, *apiError) {
	switch v {
	case "draft":
		return &p.draft, nil
	case "", "latest":
		if len(p.versions) == 0 {
			return &p.draft, nil
		}
		return p.versions[len(p.versions)-1], nil
	}
	for _, pv := range p.versions {
		if pv.version == v || pv.id == v {
			return pv, nil
		}
	}
	if p.draft.id == v {
		return &p.draft, nil
	}
	return nil, notFound("Processor %s has no version %s.", p.id, v)
}

// nextVersion numbers a release: major X.Y → (X+1).0, minor → X.(Y+1).
func (p *processor) nextVersion(release string) string {
	if len(p.versions) == 0 {
		return "1.0"
	}
	var x, y int
	_, _ = fmt.Sscanf(p.versions[len(p.versions)-1].version, "%d.%d", &x, &y)
	if release == "major" {
		return fmt.Sprintf("%d.0", x+1)
	}
	return fmt.Sprintf("%d.%d", x, y+1)
}

var processorTypes = []string{"EXTRACT", "CLASSIFY", "SPLITTER"}

// configKeys are the keys of each processor config variant (the same in both versions).
var configKeys = map[string][]string{
	"EXTRACT":  {"type", "baseProcessor", "baseVersion", "extractionRules", "schema", "fields", "advancedOptions", "parser"},
	"CLASSIFY": {"type", "baseProcessor", "baseVersion", "classifications", "classificationRules", "advancedOptions", "parser"},
	"SPLITTER": {"type", "baseProcessor", "baseVersion", "splitClassifications", "splitRules", "advancedOptions", "parser"},
}

var advancedKeys = map[string]keyTree{
	"EXTRACT": {"documentKind": nil, "keyDefinitions": nil, "modelReasoningInsightsEnabled": nil, "advancedMultimodalEnabled": nil,
		"citationsEnabled": nil, "arrayCitationStrategy": nil, "advancedFigureParsingEnabled": nil, "reviewAgent": nil,
		"arrayStrategy": nil, "chunkingOptions": nil, "excelSheetRanges": nil, "excelSheetSelectionStrategy": nil,
		"fixedPageLimit": nil, "pageRanges": nil},
	"CLASSIFY": {"context": nil, "advancedMultimodalEnabled": nil, "fixedPageLimit": nil, "pageRanges": nil},
	"SPLITTER": {"splitIdentifierRules": nil, "splitMethod": nil, "splitExcelDocumentsBySheetEnabled": nil, "fixedPageLimit": nil, "pageRanges": nil},
}

// checkProcessorConfig validates a processor config of the given type; the
// two versions differ only in the parser and page ranges (S§4.0).
func checkProcessorConfig(c gjson.Result, typ string, legacy bool) *apiError {
	if !c.IsObject() {
		return badRequest("config must be an object")
	}
	if t := field(c, "type").String(); t != typ {
		return badRequest("config.type must be %s (got %q)", typ, t)
	}
	if err := checkKeys("config", c, configKeys[typ]...); err != nil {
		return err
	}
	for _, k := range []string{"classifications", "splitClassifications"} {
		if !slices.Contains(configKeys[typ], k) {
			continue
		}
		list := field(c, k)
		if !list.IsArray() {
			return badRequest("config.%s is required and must be an array", k)
		}
		for i, cl := range list.Array() {
			if cl.Get("id").Type != gjson.String || cl.Get("type").Type != gjson.String || cl.Get("description").Type != gjson.String {
				return badRequest("config.%s[%d] needs string id, type and description", k, i)
			}
		}
	}
	if s := field(c, "schema"); s.Exists() && !s.IsObject() {
		return badRequest("config.schema must be an object")
	}
	if adv := field(c, "advancedOptions"); adv.Exists() {
		if err := checkTree("config.advancedOptions", adv, advancedKeys[typ]); err != nil {
			return err
		}
		if err := pageRanges("config.advancedOptions.pageRanges", adv.Get("pageRanges"), legacy); err != nil {
			return err
		}
	}
	if p := field(c, "parser"); p.Exists() {
		return checkParseConfig("config.parser", p, legacy)
	}
	return nil
}

// storeConfig returns the 2026 and legacy forms of a validated config.
func storeConfig(c gjson.Result, legacy bool) (cfg, legacyCfg json.RawMessage) {
	cfg = json.RawMessage(c.Raw)
	if !legacy {
		return cfg, nil
	}
	m, _ := decode(cfg).(map[string]any)
	if p, ok := m["parser"]; ok {
		m["parser"] = decode(legacyParseToNew(mustJSON(p), 1<<20))
	}
	return mustJSON(m), cfg
}

func defaultConfig(typ string) json.RawMessage {
	switch typ {
	case "CLASSIFY":
		return json.RawMessage(`{"type":"CLASSIFY","classifications":[]}`)
	case "SPLITTER":
		return json.RawMessage(`{"type":"SPLITTER","splitClassifications":[]}`)
	}
	return json.RawMessage(`{"type":"EXTRACT","schema":{"type":"object","properties":{}}}`)
}

// renderConfig is a config in a version's shape: the legacy one shows the
// parser (and extraction options) as 0.0.12 declares them.
func renderConfig(pv *procVersion, legacy bool) json.RawMessage {
	if !legacy {
		return pv.config
	}
	src := pv.config
	if pv.legacyCfg != nil {
		src = pv.legacyCfg
	}
	m, ok := decode(src).(map[string]any)
	if !ok {
		return src
	}
	if p, ok := m["parser"]; ok {
		if pv.legacyCfg != nil {
			m["parser"] = project(p, legacyParseKeys)
		} else {
			m["parser"] = decode(newParseToLegacy(mustJSON(p)))
		}
	}
	if adv, ok := m["advancedOptions"].(map[string]any); ok {
		delete(adv, "reviewAgent") // 0.0.18 and later
	}
	return mustJSON(m)
}
