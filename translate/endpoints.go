package translate

import "errors"

// Route names of the translated legacy endpoints. They key Step.Endpoints and
// label the proxy's logs, metrics and rollout rules.
const (
	RouteCreate         = "create"
	RouteList           = "list"
	RouteGet            = "get"
	RouteUpdate         = "update"
	RouteDelete         = "delete"
	RouteCancel         = "cancel"
	RouteBatch          = "batch"
	RouteCorrectOutputs = "correct_outputs"
)

// legacyEndpoints are the 2025-04-21 ⇄ 2026-02-09 transforms of the
// workflow-run family (mapping §2), one request and one response transform
// per route.
var legacyEndpoints = withSurface(map[string]Endpoint{
	RouteCreate: {Class: "c", Request: createRequest, Response: createResponse,
		Method: "POST", Path: "/workflow_runs", Serve: ServeFanOut},
	RouteList:   {Class: "c", Request: listRequest, Response: listResponse, Method: "GET", Path: "/workflow_runs"},
	RouteGet:    {Class: "c", Response: runResponseT, Method: "GET", Path: "/workflow_runs/{id}"},
	RouteUpdate: {Class: "c", Request: updateRequest, Response: runResponseT, Method: "POST", Path: "/workflow_runs/{id}"},
	RouteDelete: {Class: "b", Response: deleteResponseT, Method: "DELETE", Path: "/workflow_runs/{id}"},
	RouteCancel: {Class: "c", Response: runResponseT, Method: "POST", Path: "/workflow_runs/{id}/cancel"},
	RouteBatch:  {Class: "b", Request: batchRequest, Response: batchResponseT, Method: "POST", Path: "/workflow_runs/batch"},
	RouteCorrectOutputs: {Class: "d", Request: correctOutputsRequest, Serve: ServeRemoved,
		Method: "POST", Path: "/workflow_runs/{id}/outputs/{outputId}"},
})

// errOneBody guards transforms that take exactly one body.
var errOneBody = errors.New("translate: transform expects exactly one body")

func single(m Message) ([]byte, error) {
	if len(m.Bodies) != 1 {
		return nil, errOneBody
	}
	return m.Bodies[0], nil
}

// createRequest fans a legacy create out into one new create per input (mapping §3.1).
func createRequest(c *Context, m Message) (Message, error) {
	body, err := single(m)
	if err != nil {
		return Message{}, err
	}
	reqs, err := createRequests(body, c.Options, c.Report)
	c.Fanout = len(reqs)
	return Message{Bodies: reqs, Query: m.Query}, err
}

// createResponse joins the new runs, in input order, into one legacy answer.
func createResponse(c *Context, m Message) (Message, error) {
	sb := getBuf()
	b, err := answer(c, sb, writeCreateResponse(sb, m.Bodies, c.runContext(), c.Options))
	return One(b), err
}

// listRequest maps the query string; a list has no body (mapping §3.3).
func listRequest(_ *Context, m Message) (Message, error) {
	return Message{Bodies: m.Bodies, Query: listQuery(m.Query)}, nil
}

func listResponse(c *Context, m Message) (Message, error) {
	body, err := single(m)
	if err != nil {
		return Message{}, err
	}
	sb := getBuf()
	b, err := answer(c, sb, writeListResponse(sb, body, c.Report))
	return One(b), err
}

// runResponseT answers get, update and cancel with {success, workflowRun}.
func runResponseT(c *Context, m Message) (Message, error) {
	body, err := single(m)
	if err != nil {
		return Message{}, err
	}
	sb := getBuf()
	b, err := answer(c, sb, writeRunResponse(sb, body, c.runContext(), c.Options))
	return One(b), err
}

// updateRequest validates the update and remembers the name for the answer (mapping §3.4).
func updateRequest(c *Context, m Message) (Message, error) {
	body, err := single(m)
	if err != nil {
		return Message{}, err
	}
	b, name, err := updateRequestBody(body, c.Options, c.Report)
	if err != nil {
		return Message{}, err
	}
	c.Name = name
	return One(b), nil
}

func deleteResponseT(_ *Context, m Message) (Message, error) {
	body, err := single(m)
	if err != nil {
		return Message{}, err
	}
	b, err := deleteResponse(body)
	return One(b), err
}

func batchRequest(c *Context, m Message) (Message, error) {
	body, err := single(m)
	if err != nil {
		return Message{}, err
	}
	b, n, err := batchRequestBody(body, c.Options, c.Report)
	c.Fanout = n
	return One(b), err
}

func batchResponseT(_ *Context, m Message) (Message, error) {
	body, err := single(m)
	if err != nil {
		return Message{}, err
	}
	b, err := batchResponse(body)
	return One(b), err
}

// RemovedError is returned for an endpoint the newer version no longer has;
// the proxy answers it with 410 Gone once the request is otherwise valid.
type RemovedError struct {
	Message string // safe to show to the client
}

func (e *RemovedError) Error() string { return e.Message }

// removedOutputsMessage tells a legacy caller plainly that correcting outputs is gone (mapping §3.5).
const removedOutputsMessage = "POST /workflow_runs/{workflowRunId}/outputs/{outputId} is not available: it was " +
	"removed in Extend API version 2026-02-09. Submit corrections through human review in the Extend dashboard."

// correctOutputsRequest validates the removed call like the legacy API did
// (reviewedOutput is a required object), then reports it removed.
func correctOutputsRequest(_ *Context, m Message) (Message, error) {
	body, err := single(m)
	if err != nil {
		return Message{}, err
	}
	root, err := parseRequest(body)
	if err != nil {
		return Message{}, err
	}
	if ro := root.Get("reviewedOutput"); !ro.IsObject() {
		return Message{}, reqErr("reviewedOutput", "is required and must be an object")
	}
	return Message{}, &RemovedError{Message: removedOutputsMessage}
}
