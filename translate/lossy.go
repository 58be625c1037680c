package translate

// lossyRun lists, relative to one legacy WorkflowRun, the paths whose value
// the mapping documents as lost or synthesized ([lossy]/[silent] in
// mapping.md), so that a comparison against the real 2025-04-21 API can set
// them aside and report what remains as a real difference. A path covers
// everything below it; "#" stands for any array index.
var lossyRun = []string{
	"name",                                 // §4.1: no source; files[0].name or the update's echo
	"url",                                  // §4.1: dashboardUrl has another format
	"initialRunAt",                         // §4.1: synthesized while upstream reports null
	"batchId",                              // §3.1.6: unknown for multi-file creates
	"files.#.presignedUrl",                 // §4.2: not in FileSummary
	"files.#.contents",                     // §4.2
	"files.#.usage",                        // §4.2: per-file parse credits are gone
	"files.#.type",                         // §4.2: open enum values dropped
	"outputs.#.id",                         // §4.5.4: run ids changed prefix (dpr_ → exr_/clr_/splr_)
	"outputs.#.processorId",                // §4.5.2/§4.5.4: new ids; "" for inline configs
	"outputs.#.processorVersionId",         // §4.5.2
	"outputs.#.processorName",              // §4.5.2: step name fallback
	"outputs.#.config",                     // §4.5.5: options dropped or derived
	"outputs.#.edits",                      // §4.5.2: null entries removed; none for classify/split
	"outputs.#.initialOutput",              // §4.5.2: derived from output when not reviewed
	"outputs.#.output.metadata",            // §4.5.3: citations, reviewAgentScore, insights
	"outputs.#.files",                      // §4.2 projection of the processed file
	"outputs.#.mergedProcessors",           // §4.5.2: from mergedExtractors
	"outputs.#.url",                        // §4.5.2: dashboardUrl format
	"stepRuns.#.output.rules.#.validArray", // §4.6: booleans vs strings [silent]
	"stepRuns.#.step.id",                   // §4.6: deprecated, unstable across versions
}

// LossyPaths returns, for a legacy route's success body, the JSON paths
// (gjson style, "#" for any index; each covers everything below it) that the
// mapping documents as lossy. Shadow comparisons ignore them and count them apart.
func LossyPaths(route string) []string {
	switch route {
	case "get", "update", "cancel":
		return prefixed("workflowRun.", lossyRun)
	case "create":
		return prefixed("workflowRuns.#.", lossyRun)
	case "list":
		return []string{"workflowRuns.#.usage"} // §4.7: RunUsage vs RunUsageSummary on old runs
	}
	return nil
}

func prefixed(prefix string, paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = prefix + p
	}
	return out
}
