// Runs the shared SDK conformance table (tests/outputs/test_sdk_conformance.py) through a
// generated Go package: the test copies this file into the package's folder, with the
// package's import path in place of ERRSPEC_MODULE. ERRSPEC_CASES names the table;
// ERRSPEC_OUTCOMES the file it writes, one outcome per row, in order, as run_cases.mjs does.
package ERRSPEC_PACKAGE_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"testing"
	"time"

	sdk "ERRSPEC_MODULE"
)

type row struct {
	Kind    string            `json:"kind"`
	Body    any               `json:"body"`
	Status  int               `json:"status"`
	Text    *string           `json:"text"`
	Base64  *string           `json:"base64"`
	Headers map[string]string `json:"headers"`
	Now     *string           `json:"now"`
}

func outcome(t *testing.T, r row) map[string]any {
	header := http.Header{}
	for name, value := range r.Headers {
		header.Add(name, value)
	}
	now := time.Now()
	if r.Now != nil {
		parsed, err := time.Parse(time.RFC3339Nano, *r.Now)
		if err != nil {
			t.Fatalf("now %q: %v", *r.Now, err)
		}
		now = parsed
	}
	var data any
	var err error
	switch r.Kind {
	case "envelope":
		data, err = sdk.RaiseForEnvelopeAt(r.Body, header, now)
	case "response":
		var body []byte
		if r.Base64 != nil {
			body, _ = base64.StdEncoding.DecodeString(*r.Base64)
		} else if r.Text != nil {
			body = []byte(*r.Text)
		}
		data, err = sdk.RaiseForResponseAt(r.Status, body, header, now)
	default:
		return map[string]any{"skipped": r.Kind}
	}
	if err == nil {
		return map[string]any{"returns": data}
	}
	var apiErr *sdk.APIError
	if !errors.As(err, &apiErr) {
		return map[string]any{"threw": err.Error()}
	}
	class := "ApiError"
	if _, ok := err.(*sdk.APIError); !ok {
		class = typeName(err)
	}
	var code, name, httpStatus, docURL, status, raw any
	if apiErr.HasCode {
		code = int64(apiErr.Code)
		if n := apiErr.Code.Name(); n != "" {
			name = n
		}
		if !errors.Is(err, apiErr.Code) {
			t.Errorf("errors.Is(err, %d) is false", apiErr.Code)
		}
	} else if apiErr.Status != 0 {
		raw = apiErr.Raw
	}
	if apiErr.HTTPStatus != 0 {
		httpStatus = apiErr.HTTPStatus
	}
	if apiErr.DocURL != "" {
		docURL = apiErr.DocURL
	}
	if apiErr.Status != 0 {
		status = apiErr.Status
	}
	return map[string]any{"raises": map[string]any{
		"class":       class,
		"code":        code,
		"name":        name,
		"message":     apiErr.Message,
		"data":        apiErr.Data,
		"retryable":   apiErr.Retryable,
		"retry_after": apiErr.RetryAfter,
		"http_status": httpStatus,
		"doc_url":     docURL,
		"status":      status,
		"raw":         raw,
	}}
}

func TestConformanceTable(t *testing.T) {
	text, err := os.ReadFile(os.Getenv("ERRSPEC_CASES"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []row
	if err := json.Unmarshal(text, &rows); err != nil {
		t.Fatal(err)
	}
	outcomes := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		outcomes = append(outcomes, outcome(t, r))
	}
	out, err := json.Marshal(outcomes)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(os.Getenv("ERRSPEC_OUTCOMES"), out, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows", len(rows))
}
