package sim

import "encoding/json"

// Static pieces of the simulated default workflow: processor summaries,
// configs and outputs modelled on the N§11 example.

var (
	classifier = processorJSON{Object: "classifier", ID: ClassifierID, Name: "Document Type Classifier",
		CreatedAt: "2025-01-09T12:00:00.000Z", UpdatedAt: "2025-04-02T08:30:00.000Z"}
	classifierVersion = processorVersionJSON{Object: "classifier_version", ID: "clv_Aa2Ss4Dd6Ff8Gg0Hh2Jj",
		Version: "2.0", ClassifierID: ClassifierID, CreatedAt: "2025-04-02T08:30:00.000Z"}
	splitter = processorJSON{Object: "splitter", ID: SplitterID, Name: "Packet Splitter",
		CreatedAt: "2025-02-14T09:00:00.000Z", UpdatedAt: "2025-02-14T09:00:00.000Z"}
	splitterVersion = processorVersionJSON{Object: "splitter_version", ID: "splv_Ii5Oo7Pp9Aa1Ss3Dd5Ff",
		Description: strPtr("Initial"), Version: "1.0", SplitterID: SplitterID, CreatedAt: "2025-02-14T09:00:00.000Z"}
	extractor = processorJSON{Object: "extractor", ID: ExtractorID, Name: "Invoice Extractor",
		CreatedAt: "2025-01-09T12:00:00.000Z", UpdatedAt: "2025-05-01T10:00:00.000Z"}
	extractorVersion = processorVersionJSON{Object: "extractor_version", ID: "exv_Ll6Kk8Jj0Hh2Gg4Ff6Dd",
		Description: strPtr("Adds currency object"), Version: "3.1", ExtractorID: ExtractorID, CreatedAt: "2025-05-01T10:00:00.000Z"}
	condExtractor = processorJSON{Object: "extractor", ID: CondExtractorID, Name: "US Tax Extractor",
		CreatedAt: "2025-03-01T00:00:00.000Z", UpdatedAt: "2025-03-01T00:00:00.000Z"}
	condExtractorVersion = processorVersionJSON{Object: "extractor_version", ID: "exv_Tv1Tv2Tv3Tv4Tv5Tv6Tv",
		Version: "1.0", ExtractorID: CondExtractorID, CreatedAt: "2025-03-01T00:00:00.000Z"}
	mergedExtractors = []mergedExtractorJSON{
		{ID: ExtractorID, VersionID: "exv_Ll6Kk8Jj0Hh2Gg4Ff6Dd", Name: "Invoice Extractor"},
		{ID: LineExtractorID, VersionID: "exv_Lv1Lv2Lv3Lv4Lv5Lv6Lv", Name: "Invoice Line Items Extractor"},
	}
)

// Step names and (deprecated, unstable) step ids, by step index.
var stepNames = [stepCount]string{
	"Parse", "Classify document", "Split packet", "Extract invoice header", "Merge header + lines",
	"Tax fields by region", "Check totals", "ERP vendor lookup",
}

var stepIDs = [stepCount]string{
	"step_Pa1Pa2Pa3Pa4Pa5Pa6", "step_Cl1Cl2Cl3Cl4Cl5Cl6", "step_Sp1Sp2Sp3Sp4Sp5Sp6", "step_Ex1Ex2Ex3Ex4Ex5Ex6",
	"step_Me1Me2Me3Me4Me5Me6", "step_Ce1Ce2Ce3Ce4Ce5Ce6", "step_Ru1Ru2Ru3Ru4Ru5Ru6", "step_Ed1Ed2Ed3Ed4Ed5Ed6",
}

// Credits each processor run costs (the MERGE_EXTRACT run is free, as in N§11).
const (
	creditsParse    = 3
	creditsClassify = 1
	creditsSplit    = 2
	creditsExtract  = 4
	creditsCond     = 2.5
)

var (
	parseConfig = json.RawMessage(`{"target":"markdown","engine":"parse_performance","chunkingStrategy":{"type":"page"}}`)
	parseOutput = json.RawMessage(`{"chunks":[{"object":"chunk","type":"page","content":"# INVOICE\nInvoice # INV-0042\nAcme Corp\nTotal due: $1,250.40","metadata":{"pageRange":{"start":1,"end":1},"minOcrConfidence":0.91,"avgOcrConfidence":0.985},"blocks":[{"object":"block","id":"blk_5d41402abc4b2a76","type":"heading","content":"# INVOICE","details":{"type":"text_details"},"metadata":{"page":{"number":1,"width":612,"height":792}},"polygon":[{"x":40,"y":30},{"x":180,"y":30},{"x":180,"y":58},{"x":40,"y":58}],"boundingBox":{"left":40,"top":30,"right":180,"bottom":58}}]}]}`)

	classifyConfig = json.RawMessage(`{"baseProcessor":"classification_performance","classifications":[{"id":"invoice","type":"invoice","description":"A vendor invoice requesting payment."},{"id":"other","type":"other","description":"Anything else."}]}`)
	splitConfig    = json.RawMessage(`{"splitClassifications":[{"id":"invoice","type":"invoice","description":"An invoice.","identifierKey":"The invoice number in the header."},{"id":"other","type":"other","description":"Anything else."}],"advancedOptions":{"splitMethod":"high_precision"}}`)
	extractConfig  = json.RawMessage(`{"baseProcessor":"extraction_performance","baseVersion":"4.4.0","schema":{"type":"object","properties":{"invoice_number":{"type":["string","null"]},"vendor_name":{"type":["string","null"]},"total_due":{"type":"object","properties":{"amount":{"type":["number","null"]},"iso_4217_currency_code":{"type":["string","null"]}}}}},"advancedOptions":{"citationsEnabled":true,"citationMode":"line"},"parseConfig":{"target":"markdown"}}`)
	mergeConfig    = json.RawMessage(`{"schema":{"type":"object","properties":{"invoice_number":{"type":["string","null"]},"vendor_name":{"type":["string","null"]},"line_items":{"type":"array","items":{"type":"object"}}}}}`)
	condConfig     = json.RawMessage(`{"schema":{"type":"object","properties":{"tax_id":{"type":["string","null"]},"tax_amount":{"type":["number","null"]}}}}`)

	defaultExtractValue = json.RawMessage(`{"invoice_number":"INV-0042","vendor_name":"Acme Corp","total_due":{"amount":1250.4,"iso_4217_currency_code":"USD"}}`)
	extractMetaFmt      = `{"invoice_number":{"ocrConfidence":0.995,"logprobsConfidence":0.99,"reviewAgentScore":null,"citations":[{"fileId":%q,"page":{"number":1,"width":612,"height":792},"referenceText":"Invoice # INV-0042","polygon":[{"x":412.1,"y":88},{"x":540.6,"y":88},{"x":540.6,"y":101.5},{"x":412.1,"y":101.5}]}]},"vendor_name":{"logprobsConfidence":0.98},"total_due":{"logprobsConfidence":0.96}}`
	mergeValue          = json.RawMessage(`{"invoice_number":"INV-0042","vendor_name":"Acme Corp","line_items":[{"description":"Widget A","amount":1000},{"description":"Shipping","amount":250.4}]}`)
	defaultCondValue    = json.RawMessage(`{"tax_id":"US-94-1234567","tax_amount":92.1}`)
	emptyObject         = json.RawMessage(`{}`)
	externalData        = json.RawMessage(`{"vendorKnown":true,"erpVendorId":"V-88120"}`)

	rules = []ruleJSON{
		{Name: "total_is_positive", Valid: true},
		{Name: "line_items_positive", Valid: true, ValidArray: []bool{true, true}},
		{Name: "vendor_in_allowlist", Valid: false, FailureReason: "VALUE_ERROR", Error: "Unknown function ALLOWLIST()"},
	}
)
