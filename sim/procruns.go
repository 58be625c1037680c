package sim

import "encoding/json"

// Wire types of the processor runs embedded in step results (N§6). Keys that
// the spec marks "required, nullable" are pointers or nil-able without
// omitempty, so they are emitted as null.

type processorJSON struct {
	Object    string `json:"object"`
	ID        string `json:"id"`
	Name      string `json:"name"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

// processorVersionJSON carries exactly one of the three owner-id keys.
type processorVersionJSON struct {
	Object       string         `json:"object"`
	ID           string         `json:"id"`
	Description  *string        `json:"description"`
	Version      string         `json:"version"`
	ExtractorID  string         `json:"extractorId,omitempty"`
	ClassifierID string         `json:"classifierId,omitempty"`
	SplitterID   string         `json:"splitterId,omitempty"`
	CreatedAt    string         `json:"createdAt"`
	CreatedBy    *createdByJSON `json:"createdBy"`
}

type extractOutputJSON struct {
	Value    json.RawMessage `json:"value"`
	Metadata json.RawMessage `json:"metadata"`
}

type editJSON struct {
	OriginalValue json.RawMessage `json:"originalValue,omitempty"`
	EditedValue   json.RawMessage `json:"editedValue,omitempty"`
	Notes         string          `json:"notes,omitempty"`
	Page          int             `json:"page,omitempty"`
	FieldType     string          `json:"fieldType,omitempty"`
}

type extractRunJSON struct {
	Object           string                `json:"object"`
	ID               string                `json:"id"`
	Status           string                `json:"status"`
	Output           *extractOutputJSON    `json:"output"`
	InitialOutput    *extractOutputJSON    `json:"initialOutput"`
	ReviewedOutput   *extractOutputJSON    `json:"reviewedOutput"`
	FailureReason    *string               `json:"failureReason"`
	FailureMessage   *string               `json:"failureMessage"`
	Metadata         json.RawMessage       `json:"metadata"`
	Reviewed         bool                  `json:"reviewed"`
	Edited           bool                  `json:"edited"`
	Edits            map[string]editJSON   `json:"edits"`
	Config           json.RawMessage       `json:"config"`
	Extractor        *processorJSON        `json:"extractor"`
	ExtractorVersion *processorVersionJSON `json:"extractorVersion"`
	File             *fileJSON             `json:"file"`
	Files            *[]fileJSON           `json:"files"`
	ParseRunID       *string               `json:"parseRunId"`
	DashboardURL     string                `json:"dashboardUrl"`
	Usage            *usageJSON            `json:"usage"`
	CreatedAt        string                `json:"createdAt"`
	UpdatedAt        string                `json:"updatedAt"`
}

type insightJSON struct {
	Type    string `json:"type"`
	Content string `json:"content"`
}

type classifyOutputJSON struct {
	ID         string        `json:"id"`
	Type       string        `json:"type"`
	Confidence float64       `json:"confidence"`
	Insights   []insightJSON `json:"insights"`
}

type classifyRunJSON struct {
	Object            string                `json:"object"`
	ID                string                `json:"id"`
	Status            string                `json:"status"`
	Output            *classifyOutputJSON   `json:"output"`
	Classifier        *processorJSON        `json:"classifier"`
	ClassifierVersion *processorVersionJSON `json:"classifierVersion"`
	InitialOutput     *classifyOutputJSON   `json:"initialOutput"`
	ReviewedOutput    *classifyOutputJSON   `json:"reviewedOutput"`
	FailureReason     *string               `json:"failureReason"`
	FailureMessage    *string               `json:"failureMessage"`
	Metadata          json.RawMessage       `json:"metadata"`
	Reviewed          bool                  `json:"reviewed"`
	Edited            bool                  `json:"edited"`
	Config            json.RawMessage       `json:"config"`
	File              *fileJSON             `json:"file"`
	ParseRunID        *string               `json:"parseRunId"`
	DashboardURL      string                `json:"dashboardUrl"`
	Usage             *usageJSON            `json:"usage"`
	CreatedAt         string                `json:"createdAt"`
	UpdatedAt         string                `json:"updatedAt"`
}

type splitJSON struct {
	ID               string  `json:"id"`
	ClassificationID string  `json:"classificationId"`
	Type             string  `json:"type"`
	Observation      string  `json:"observation"`
	Identifier       string  `json:"identifier"`
	StartPage        int     `json:"startPage"`
	EndPage          int     `json:"endPage"`
	Name             *string `json:"name,omitempty"`
	FileID           string  `json:"fileId"`
}

type splitOutputJSON struct {
	Splits []splitJSON `json:"splits"`
}

type splitRunJSON struct {
	Object          string                `json:"object"`
	ID              string                `json:"id"`
	Status          string                `json:"status"`
	Output          *splitOutputJSON      `json:"output"`
	Splitter        *processorJSON        `json:"splitter"`
	SplitterVersion *processorVersionJSON `json:"splitterVersion"`
	InitialOutput   *splitOutputJSON      `json:"initialOutput"`
	ReviewedOutput  *splitOutputJSON      `json:"reviewedOutput"`
	FailureReason   *string               `json:"failureReason"`
	FailureMessage  *string               `json:"failureMessage"`
	Metadata        json.RawMessage       `json:"metadata"`
	Reviewed        bool                  `json:"reviewed"`
	Edited          bool                  `json:"edited"`
	Config          json.RawMessage       `json:"config"`
	File            *fileJSON             `json:"file"`
	ParseRunID      *string               `json:"parseRunId"`
	DashboardURL    string                `json:"dashboardUrl"`
	Usage           *usageJSON            `json:"usage"`
	CreatedAt       string                `json:"createdAt"`
	UpdatedAt       string                `json:"updatedAt"`
}

type metricsJSON struct {
	ProcessingTimeMs int `json:"processingTimeMs"`
	PageCount        int `json:"pageCount"`
}

type parseRunJSON struct {
	Object         string          `json:"object"`
	ID             string          `json:"id"`
	File           fileJSON        `json:"file"`
	Status         string          `json:"status"`
	FailureReason  *string         `json:"failureReason"`
	FailureMessage *string         `json:"failureMessage"`
	Metadata       json.RawMessage `json:"metadata"`
	Output         json.RawMessage `json:"output"`
	OutputURL      *string         `json:"outputUrl"`
	Metrics        *metricsJSON    `json:"metrics"`
	Config         json.RawMessage `json:"config"`
	Usage          *usageJSON      `json:"usage"`
}

type ruleJSON struct {
	Name          string `json:"name"`
	Valid         bool   `json:"valid"`
	ValidArray    []bool `json:"validArray,omitempty"`
	FailureReason string `json:"failureReason,omitempty"`
	Error         string `json:"error,omitempty"`
}

type mergedExtractorJSON struct {
	ID        string `json:"id"`
	VersionID string `json:"versionId"`
	Name      string `json:"name"`
}

// Step results (N§5.3).
type (
	parseResultJSON struct {
		ParseRun parseRunJSON `json:"parseRun"`
	}
	classifyResultJSON struct {
		ClassifyRun classifyRunJSON `json:"classifyRun"`
	}
	splitResultJSON struct {
		SplitRun splitRunJSON `json:"splitRun"`
	}
	extractResultJSON struct {
		ExtractRun extractRunJSON `json:"extractRun"`
	}
	mergeResultJSON struct {
		MergedExtractors []mergedExtractorJSON `json:"mergedExtractors"`
		ExtractRun       extractRunJSON        `json:"extractRun"`
	}
	rulesResultJSON struct {
		Rules     []ruleJSON `json:"rules"`
		AllPassed bool       `json:"allPassed"`
	}
	externalResultJSON struct {
		Response struct {
			Status int             `json:"status"`
			Data   json.RawMessage `json:"data"`
		} `json:"response"`
	}
)

type stepJSON struct {
	Object string `json:"object"`
	ID     string `json:"id"`
	Name   string `json:"name"`
	Type   string `json:"type"`
}

// stepRunJSON is one StepRun (N§5); Result is nil (null) for a step still
// running when it has no processor run to show.
type stepRunJSON struct {
	StepType      string     `json:"stepType"`
	Object        string     `json:"object"`
	ID            string     `json:"id"`
	WorkflowRunID string     `json:"workflowRunId"`
	Status        string     `json:"status"`
	Files         []fileJSON `json:"files"`
	Step          stepJSON   `json:"step"`
	Result        any        `json:"result"`
}
