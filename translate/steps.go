package translate

import "github.com/tidwall/gjson"

// legacyRuleFailureReasons is the closed legacy enum of rule failure reasons.
var legacyRuleFailureReasons = []string{"RULE_FAILED", "PARSE_ERROR", "VALUE_ERROR"}

// ruleKeys are read from each rule in one pass, in the order of the writes.
var ruleKeys = []string{"name", "valid", "validArray", "failureReason", "error"}

// appendLegacySteps writes legacy stepRuns[]: only RULE_VALIDATION and
// EXTERNAL_DATA_VALIDATION step runs, which legacy kept apart from outputs
// (mapping §4.6). workflowRunId and files are dropped.
func (st *state) appendLegacySteps(b []byte, stepRuns gjson.Result) []byte {
	var s stepRun
	i := -1
	return st.appendArray(b, stepRuns, func(b []byte, sr gjson.Result) ([]byte, bool) {
		if i++; i < st.stepsSeen && st.plainSteps&(1<<i) != 0 {
			return b, false // appendOutputs already read it: not a validation step
		}
		st.readStepRun(sr, &s)
		kind := st.stepKind(&s)
		if !isValidationKind(kind) || !sr.IsObject() {
			return b, false
		}
		w := openObj(b)
		w.str("object", "workflow_step_run")
		w.reqStr("id", s.f[sID])
		status := s.f[sStatus]
		if status.Str == "WAITING" {
			w.str("status", "PENDING") // legacy has no WAITING; both mean "not executing yet"
		} else {
			w.reqStr("status", status)
		}
		w.key("step")
		step := s.f[sStep]
		sw := openObj(w.b)
		sw.str("object", "workflow_step")
		sw.reqStr("id", st.get(step, "id"))
		sw.reqStr("name", st.get(step, "name"))
		sw.str("type", kind)
		w.b = sw.close()
		st.writeStepOutput(&w, &s, kind)
		return w.close(), true
	})
}

// writeStepOutput writes output when result is set: the rules without
// allPassed, or the external endpoint's JSON body without its HTTP status.
func (st *state) writeStepOutput(w *obj, s *stepRun, kind string) {
	if !s.f[sResult].IsObject() {
		return
	}
	if kind == "EXTERNAL_DATA_VALIDATION" {
		w.optAny("output", st.get(s.member("response"), "data"))
		return
	}
	w.key("output")
	ow := openObj(w.b)
	if rules := s.member("rules"); rules.IsArray() {
		ow.key("rules")
		ow.b = st.appendArray(ow.b, rules, st.appendRule)
	}
	w.b = ow.close()
}

// appendRule writes one rule; validArray booleans become "true"/"false" to
// match the declared legacy string[] unless ValidArrayAsBooleans ([silent]).
func (st *state) appendRule(b []byte, r gjson.Result) ([]byte, bool) {
	if !r.IsObject() {
		return b, false
	}
	var f [5]gjson.Result
	st.pick(r, ruleKeys, f[:])
	w := openObj(b)
	w.reqStr("name", f[0])
	w.reqBool("valid", f[1])
	if va := f[2]; va.IsArray() {
		w.key("validArray")
		w.b = st.appendArray(w.b, va, st.appendValidItem)
	}
	w.optEnum("failureReason", f[3], legacyRuleFailureReasons...)
	w.optStr("error", f[4])
	return w.close(), true
}

// appendValidItem converts one validArray element; strings pass unchanged,
// anything else that is not a boolean is dropped.
func (st *state) appendValidItem(b []byte, v gjson.Result) ([]byte, bool) {
	switch {
	case v.Type == gjson.String:
		return append(b, v.Raw...), true
	case !v.IsBool():
		return b, false
	case st.o.ValidArrayAsBooleans:
		return append(b, v.Raw...), true
	case v.Type == gjson.True:
		return append(b, `"true"`...), true
	default:
		return append(b, `"false"`...), true
	}
}
