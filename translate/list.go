package translate

import (
	"fmt"

	"github.com/tidwall/gjson"
)

// deleteMessage is the seed guide's example text; the SDK fixes none.
const deleteMessage = "Workflow run data has been successfully deleted."

// listResponseBody builds {success, workflowRuns, nextPageToken?} from a new list
// (mapping §4.7, §4.8). object:"list" is dropped; the token passes through.
func listResponseBody(newList []byte, o Options, rep *Report) ([]byte, error) {
	sb := getBuf()
	return answer(nil, sb, writeListResponse(sb, newList, rep))
}

// writeListResponse writes listResponseBody's answer into sb.
func writeListResponse(sb *scratch, newList []byte, rep *Report) error {
	d, root, err := parseResponse(newList)
	if err != nil {
		return err
	}
	defer d.free()
	var top [2]gjson.Result
	d.pick(root, listKeys, top[:])
	data := top[0]
	if !data.IsArray() {
		return fmt.Errorf("%w: list data is missing or not an array", ErrInvalidResponse)
	}
	w := openObj(sb.b)
	w.raw("success", "true")
	w.key("workflowRuns")
	i := -1
	w.b = d.appendArray(w.b, data, func(b []byte, s gjson.Result) ([]byte, bool) {
		i++
		if !s.IsObject() {
			rep.unmapped("data[" + itoa(i) + "]")
			return b, false
		}
		return d.appendSummary(b, s), true
	})
	w.optStr("nextPageToken", top[1])
	sb.b = w.close()
	return nil
}

// listKeys are the members of a list page the answer uses.
var listKeys = []string{"data", "nextPageToken"}

// summaryKeys are read in one pass per list item.
var summaryKeys = []string{"id", "status", "initialRunAt", "reviewedByUser", "reviewedAt",
	"startTime", "endTime", "workflow", "workflowVersion", "batchId", "rejectionNote",
	"createdAt", "updatedAt", "usage"}

// appendSummary writes a legacy WorkflowRunSummary (L§4.9). Unlike the full
// run, the summary keeps the name reviewedByUser and initialRunAt is optional.
// idNameKeys are read from a workflow summary in one pass.
var idNameKeys = []string{"id", "name"}

func (d *doc) appendSummary(b []byte, s gjson.Result) []byte {
	var fa [14]gjson.Result
	f := fa[:]
	d.pick(s, summaryKeys, f)
	w := openObj(b)
	w.reqStr("id", f[0])
	w.reqStr("status", f[1])
	w.optStr("initialRunAt", f[2])
	w.optStr("reviewedByUser", f[3])
	w.optStr("reviewedAt", f[4])
	w.optStr("startTime", f[5])
	w.optStr("endTime", f[6])
	var wf [2]gjson.Result
	d.pick(f[7], idNameKeys, wf[:])
	w.reqStr("workflowId", wf[0])
	w.reqStr("workflowName", wf[1])
	w.reqStr("workflowVersionId", d.get(f[8], "id"))
	w.optStr("batchId", f[9])
	w.optStr("rejectionNote", f[10])
	w.reqStr("createdAt", f[11])
	w.reqStr("updatedAt", f[12])
	writeCredits(&w, d, f[13])
	return w.close()
}

// deleteResponse builds {success, workflowRunId, message} from a new {id}.
func deleteResponse(newDelete []byte) ([]byte, error) {
	d, root, err := parseResponse(newDelete)
	if err != nil {
		return nil, err
	}
	defer d.free()
	id := d.get(root, "id")
	if id.Type != gjson.String {
		return nil, fmt.Errorf("%w: delete id is missing or not a string", ErrInvalidResponse)
	}
	w := openObj(make([]byte, 0, len(id.Raw)+96))
	w.raw("success", "true")
	w.raw("workflowRunId", id.Raw)
	w.str("message", deleteMessage)
	return w.close(), nil
}

// batchResponse builds {success, batchId} from a new {batchId}.
func batchResponse(newBatch []byte) ([]byte, error) {
	d, root, err := parseResponse(newBatch)
	if err != nil {
		return nil, err
	}
	defer d.free()
	id := d.get(root, "batchId")
	if id.Type != gjson.String {
		return nil, fmt.Errorf("%w: batchId is missing or not a string", ErrInvalidResponse)
	}
	w := openObj(make([]byte, 0, len(id.Raw)+32))
	w.raw("success", "true")
	w.raw("batchId", id.Raw)
	return w.close(), nil
}
