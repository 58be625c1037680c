// Package shadow runs the other API path in the background for requests in shadow mode and compares both
// legacy-shaped answers structurally. The served path never waits for it: jobs go to a bounded queue,
// a fixed number of workers run them under a timeout, and a full queue drops and counts.
//
// Results are Prometheus counters, a bounded store of recent differences (paths and JSON types; values
// only when Config.StoreValues) and a report served as JSON and as an HTML page on the admin listener.
package shadow
