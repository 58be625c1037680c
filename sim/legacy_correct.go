package sim

import (
	"net/http"

	"github.com/gorilla/mux"
	"github.com/tidwall/gjson"
)

// legacyCorrect is POST /workflow_runs/{id}/outputs/{outputId} (L§3.8): it
// records reviewedOutput on a processed output of the run. The correction is
// part of the model, so the new surface shows it too.
func (s *Sim) legacyCorrect(req *http.Request, body []byte) (int, []byte, *apiError) {
	root, err := parseObject(body)
	if err != nil {
		return 0, nil, err
	}
	ro := field(root, "reviewedOutput")
	if !ro.IsObject() {
		return 0, nil, badRequest("reviewedOutput is required and must be an object")
	}
	lo, err := parseProvided(ro, "reviewedOutput")
	if err != nil {
		return 0, nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.lookupLocked(req)
	if err != nil {
		return 0, nil, err
	}
	outputID := mux.Vars(req)["outputId"]
	i, ok := r.outputStep(outputID)
	if !ok {
		return 0, nil, notFound("Output %s not found on workflow run %s.", outputID, r.id)
	}
	now := s.opt.Now()
	tl := s.timelineAt(r, now)
	if i >= tl.steps || tl.stepStatus(i) != stProcessed {
		return 0, nil, badRequest("Output %s has not been processed, so it cannot be corrected.", outputID)
	}
	if want := outputKind(i); lo.kind != want {
		return 0, nil, badRequest("reviewedOutput does not match the output's processor type")
	}
	r.corrections[i] = r.correctionFor(i, lo)
	r.touched = now
	return s.legacyRunLocked(r, now)
}

// outputKind is the provided-output shape a processor step takes.
func outputKind(i int) int {
	if i == stepClassify || i == stepSplit {
		return i
	}
	return stepExtract
}

// correctionFor builds the correction a legacy reviewedOutput describes.
func (r *run) correctionFor(i int, lo legacyOutput) *correction {
	switch lo.kind {
	case stepClassify:
		return &correction{classify: &classifyOutputJSON{ID: lo.classifyID, Type: lo.classifyTyp,
			Confidence: lo.confidence, Insights: []insightJSON{}}}
	case stepSplit:
		splits := append([]split(nil), lo.splits...)
		for k := range splits { // reviewed splits keep the sub-files already produced
			splits[k].file = r.files[0]
			if k < len(r.splits) {
				splits[k].file = r.splits[k].file
			}
		}
		return &correction{splits: splits}
	}
	current := r.extractValueAt(i)
	if prev := r.corrections[i]; prev != nil && prev.value != nil {
		current = prev.value
	}
	merged := mergePartial(current, gjson.ParseBytes(lo.value))
	return extractCorrection(r.extractValueAt(i), merged)
}
