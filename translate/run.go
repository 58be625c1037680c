package translate

import (
	"fmt"
	"strconv"
	"time"

	"github.com/tidwall/gjson"
)

// parseResponse checks an upstream body once at the edge (gjson does not
// validate) and indexes it; the caller frees the doc when done.
func parseResponse(body []byte) (*doc, gjson.Result, error) {
	d, root, ok := parseDoc(body)
	if !ok {
		return nil, gjson.Result{}, fmt.Errorf("%w: body is not valid JSON", ErrInvalidResponse)
	}
	if !root.IsObject() {
		d.free()
		return nil, gjson.Result{}, fmt.Errorf("%w: body is not a JSON object", ErrInvalidResponse)
	}
	return d, root, nil
}

// runResponse builds {success, workflowRun} for get, update and cancel.
func runResponse(newRun []byte, rc RunContext, o Options) ([]byte, error) {
	sb := getBuf()
	return answer(nil, sb, writeRunResponse(sb, newRun, rc, o))
}

// writeRunResponse writes runResponse's answer into sb.
func writeRunResponse(sb *scratch, newRun []byte, rc RunContext, o Options) error {
	d, run, err := parseResponse(newRun)
	if err != nil {
		return err
	}
	defer d.free()
	b := append(sb.b, `{"success":true,"workflowRun":`...)
	b, err = appendLegacyRun(b, d, run, rc, o)
	if err != nil {
		return err
	}
	sb.b = append(b, '}')
	return nil
}

// createResponseBody builds {success, workflowRuns} from the new runs, in order.
func createResponseBody(newRuns [][]byte, rc RunContext, o Options) ([]byte, error) {
	sb := getBuf()
	return answer(nil, sb, writeCreateResponse(sb, newRuns, rc, o))
}

// writeCreateResponse writes createResponseBody's answer into sb.
func writeCreateResponse(sb *scratch, newRuns [][]byte, rc RunContext, o Options) error {
	b := append(sb.b, `{"success":true,"workflowRuns":[`...)
	for i, raw := range newRuns {
		d, run, err := parseResponse(raw)
		if err == nil {
			if i > 0 {
				b = append(b, ',')
			}
			b, err = appendLegacyRun(b, d, run, rc, o)
			d.free()
		}
		if err != nil {
			sb.b = b
			return fmt.Errorf("workflow run %d: %w", i, err)
		}
	}
	sb.b = append(b, "]}"...)
	return nil
}

// Indexes into runKeys.
const (
	rObject = iota
	rID
	rWorkflow
	rWorkflowVersion
	rDashboardURL
	rStatus
	rMetadata
	rBatchID
	rFiles
	rFailureReason
	rFailureMessage
	rInitialRunAt
	rReviewedByUser
	rReviewed
	rRejectionNote
	rReviewedAt
	rStartTime
	rEndTime
	rStepRuns
	rUsage
	runKeyCount
)

// runKeys are in the order the API writes them (pick compares the key it
// expects next in place).
var runKeys = []string{"object", "id", "workflow", "workflowVersion", "dashboardUrl", "status", "metadata",
	"batchId", "files", "failureReason", "failureMessage", "initialRunAt", "reviewedByUser", "reviewed",
	"rejectionNote", "reviewedAt", "startTime", "endTime", "stepRuns", "usage"}

// checkRunShape rejects bodies that are not a WorkflowRun at all; anything
// finer is tolerated field by field so one odd value does not fail a run.
func checkRunShape(f []gjson.Result) error {
	if f[rID].Type != gjson.String {
		return fmt.Errorf("%w: workflow run id is missing or not a string", ErrInvalidResponse)
	}
	if f[rStatus].Type != gjson.String {
		return fmt.Errorf("%w: workflow run status is missing or not a string", ErrInvalidResponse)
	}
	for _, i := range []int{rFiles, rStepRuns} {
		if !absent(f[i]) && !f[i].IsArray() {
			return fmt.Errorf("%w: workflow run %s is not an array", ErrInvalidResponse, runKeys[i])
		}
	}
	return nil
}

// appendLegacyRun writes legacyRun(newRun) (mapping §4.1), keys in table order.
func appendLegacyRun(b []byte, d *doc, run gjson.Result, rc RunContext, o Options) ([]byte, error) {
	var fa [runKeyCount]gjson.Result
	f := fa[:]
	d.pick(run, runKeys, f)
	if err := checkRunShape(f); err != nil {
		return nil, err
	}
	st := newState(d, o, rc.Report)
	w := openObj(b)
	w.str("object", "workflow_run")
	w.raw("id", f[rID].Raw)
	writeRunName(&w, d, f[rFiles], rc.Name)
	w.reqStr("url", f[rDashboardURL])
	w.raw("status", f[rStatus].Raw)
	if f[rMetadata].IsObject() {
		w.raw("metadata", f[rMetadata].Raw)
	} else {
		w.raw("metadata", "{}")
	}
	w.optStr("batchId", f[rBatchID])
	w.key("files")
	w.b = d.appendArray(w.b, f[rFiles], d.appendLegacyFile)
	w.optStr("failureReason", f[rFailureReason])
	w.optStr("failureMessage", f[rFailureMessage])
	w.key("initialRunAt")
	w.b = appendInitialRunAt(w.b, d, f, rc)
	w.optStr("reviewedBy", f[rReviewedByUser])
	w.reqBool("reviewed", f[rReviewed])
	w.optStr("rejectionNote", f[rRejectionNote])
	w.optStr("reviewedAt", f[rReviewedAt])
	w.optStr("startTime", f[rStartTime])
	w.optStr("endTime", f[rEndTime])
	w.key("outputs")
	w.b = st.appendOutputs(w.b, f[rStepRuns])
	w.key("stepRuns")
	w.b = st.appendLegacySteps(w.b, f[rStepRuns])
	w.key("workflow")
	var idName [2]gjson.Result
	d.pick(f[rWorkflow], idNameKeys, idName[:])
	wf := openObj(w.b)
	wf.str("object", "workflow")
	wf.reqStr("id", idName[0])
	wf.reqStr("version", d.get(f[rWorkflowVersion], "version"))
	wf.reqStr("name", idName[1])
	w.b = wf.close()
	writeCredits(&w, d, f[rUsage])
	return w.close(), nil
}

// writeRunName writes the legacy name: the update request's name when one was
// sent, else files[0].name, else "" ([lossy]: the new run has no name).
func writeRunName(w *obj, d *doc, files gjson.Result, name *string) {
	if name != nil {
		w.str("name", *name)
		return
	}
	w.reqStr("name", d.get(d.get(files, "0"), "name"))
}

// writeCredits writes usage {credits} when the new usage carries a number;
// totalCredits and breakdown have no legacy counterpart (mapping §4.4).
func writeCredits(w *obj, d *doc, usage gjson.Result) {
	if c := d.get(usage, "credits"); usage.IsObject() && c.Type == gjson.Number {
		w.key("usage")
		w.b = append(append(append(w.b, `{"credits":`...), c.Raw...), '}')
	}
}

// legacyTimeLayout is RFC 3339 with milliseconds and a Z suffix, as the API prints times.
const legacyTimeLayout = "2006-01-02T15:04:05.000Z"

// appendInitialRunAt fills the legacy-required initialRunAt ([lossy]): the new value
// when set, else startTime, else the proxy's receive time (create), else
// files[0].createdAt (stable across calls), else now.
func appendInitialRunAt(b []byte, d *doc, f []gjson.Result, rc RunContext) []byte {
	if v := f[rInitialRunAt]; v.Type == gjson.String && v.Str != "" {
		return appendString(b, v.Str)
	}
	rc.Report.synthesized("initialRunAt")
	if v := f[rStartTime]; v.Type == gjson.String && v.Str != "" {
		return appendString(b, v.Str)
	}
	if !rc.ReceivedAt.IsZero() {
		return appendTime(b, rc.ReceivedAt)
	}
	if v := d.get(d.get(f[rFiles], "0"), "createdAt"); v.Type == gjson.String && v.Str != "" {
		return appendString(b, v.Str)
	}
	now := rc.Now
	if now.IsZero() {
		now = time.Now()
	}
	return appendTime(b, now)
}

// appendTime writes t as a legacy time string, formatted in place (a
// formatted time has nothing to escape), so a create's fifty synthesized
// times cost no allocation.
func appendTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 { // AppendFormat's spelling of such years
		b = append(b, '"')
		b = t.AppendFormat(b, legacyTimeLayout)
		return append(b, '"')
	}
	// Written digit by digit: the layout is fixed, and AppendFormat's
	// general layout parsing was a tenth of a create answer's cost.
	hour, minute, sec := t.Clock()
	b = append(b, '"')
	b = appendDigits(b, year, 4)
	b = appendDigits(append(b, '-'), int(month), 2)
	b = appendDigits(append(b, '-'), day, 2)
	b = appendDigits(append(b, 'T'), hour, 2)
	b = appendDigits(append(b, ':'), minute, 2)
	b = appendDigits(append(b, ':'), sec, 2)
	b = appendDigits(append(b, '.'), t.Nanosecond()/1e6, 3) // truncated, as AppendFormat does
	return append(b, 'Z', '"')
}

// appendDigits writes v (0 ≤ v < 10^width) in width decimal digits, zero-padded.
func appendDigits(b []byte, v, width int) []byte {
	n := len(b)
	b = append(b, "0000"[:width]...)
	for i := n + width - 1; i >= n; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return b
}

// state carries the indexed body and per-call options through the response transforms.
type state struct {
	*doc
	o       Options
	rep     *Report
	reverse map[string]string // new processor id → legacy alias
	// plainSteps has bit i set when step run i is known not to be a
	// validation step (for i < stepsSeen), as appendOutputs found.
	plainSteps uint64
	stepsSeen  int
}

func newState(d *doc, o Options, rep *Report) *state {
	st := &state{doc: d, o: o, rep: rep}
	if len(o.ProcessorAliases) > 0 {
		st.reverse = make(map[string]string, len(o.ProcessorAliases))
		for legacy, id := range o.ProcessorAliases {
			// Deterministic when two legacy ids alias one new id: the smaller wins.
			if prev, ok := st.reverse[id]; !ok || legacy < prev {
				st.reverse[id] = legacy
			}
		}
	}
	return st
}

// processorID applies the inverse alias table to a new processor id.
func (st *state) processorID(w *obj, key string, id gjson.Result) {
	if id.Type != gjson.String {
		w.str(key, "")
		return
	}
	if legacy, ok := st.reverse[id.Str]; ok {
		w.str(key, legacy)
		return
	}
	w.raw(key, id.Raw)
}

// itoa formats an array index for Report paths.
func itoa(i int) string { return strconv.Itoa(i) }
