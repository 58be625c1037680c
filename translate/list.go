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
	root, err := parseResponse(newList)
	if err != nil {
		return nil, err
	}
	data := root.Get("data")
	if !data.IsArray() {
		return nil, fmt.Errorf("%w: list data is missing or not an array", ErrInvalidResponse)
	}
	b := make([]byte, 0, len(newList)/2+64)
	w := openObj(b)
	w.raw("success", "true")
	w.key("workflowRuns")
	i := -1
	w.b = appendArray(w.b, data, func(b []byte, s gjson.Result) ([]byte, bool) {
		i++
		if !s.IsObject() {
			rep.unmapped("data[" + itoa(i) + "]")
			return b, false
		}
		return appendSummary(b, s), true
	})
	w.optStr("nextPageToken", root.Get("nextPageToken"))
	return w.close(), nil
}

// summaryKeys are read in one pass per list item.
var summaryKeys = []string{"id", "status", "initialRunAt", "reviewedByUser", "reviewedAt",
	"startTime", "endTime", "workflow", "workflowVersion", "batchId", "rejectionNote",
	"createdAt", "updatedAt", "usage"}

// appendSummary writes a legacy WorkflowRunSummary (L§4.9). Unlike the full
// run, the summary keeps the name reviewedByUser and initialRunAt is optional.
func appendSummary(b []byte, s gjson.Result) []byte {
	f := pick(s, summaryKeys)
	w := openObj(b)
	w.reqStr("id", f[0])
	w.reqStr("status", f[1])
	w.optStr("initialRunAt", f[2])
	w.optStr("reviewedByUser", f[3])
	w.optStr("reviewedAt", f[4])
	w.optStr("startTime", f[5])
	w.optStr("endTime", f[6])
	w.reqStr("workflowId", f[7].Get("id"))
	w.reqStr("workflowName", f[7].Get("name"))
	w.reqStr("workflowVersionId", f[8].Get("id"))
	w.optStr("batchId", f[9])
	w.optStr("rejectionNote", f[10])
	w.reqStr("createdAt", f[11])
	w.reqStr("updatedAt", f[12])
	writeCredits(&w, f[13])
	return w.close()
}

// deleteResponse builds {success, workflowRunId, message} from a new {id}.
func deleteResponse(newDelete []byte) ([]byte, error) {
	root, err := parseResponse(newDelete)
	if err != nil {
		return nil, err
	}
	id := root.Get("id")
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
	root, err := parseResponse(newBatch)
	if err != nil {
		return nil, err
	}
	id := root.Get("batchId")
	if id.Type != gjson.String {
		return nil, fmt.Errorf("%w: batchId is missing or not a string", ErrInvalidResponse)
	}
	w := openObj(make([]byte, 0, len(id.Raw)+32))
	w.raw("success", "true")
	w.raw("batchId", id.Raw)
	return w.close(), nil
}
