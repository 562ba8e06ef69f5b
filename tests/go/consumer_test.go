// Consumer code of a generated Go package (tests/toolchain/test_go_toolchain.py): errors.As finds the
// category's type and the *APIError inside it, errors.Is compares codes, an unknown code of a
// range lands in its category's type with its code kept, a proxy's HTML page becomes an error
// with its HTTP status.
package ERRSPEC_PACKAGE_test

import (
	"errors"
	"net/http"
	"testing"

	sdk "ERRSPEC_MODULE"
)

func TestConsumer(t *testing.T) {
	header := http.Header{}
	header.Set(sdk.RetryAfterHeader, "7")
	for code, info := range knownCodes() {
		if code == 0 {
			continue
		}
		_, err := sdk.RaiseForEnvelope(map[string]any{"code": float64(code)}, header)
		var apiErr *sdk.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("%d: errors.As(*APIError) failed on %T", code, err)
		}
		if apiErr.Code != code || apiErr.Message != info.Message || !errors.Is(err, code) {
			t.Fatalf("%d: %+v", code, apiErr)
		}
		if errors.Is(err, code+1) {
			t.Fatalf("%d: errors.Is matched another code", code)
		}
		if code.String() != info.Name || code.Name() != info.Name {
			t.Fatalf("%d: String() %q", code, code.String())
		}
	}
	_, err := sdk.RaiseForResponse(502, []byte("<html>Bad Gateway</html>"), header)
	var apiErr *sdk.APIError
	if !errors.As(err, &apiErr) || apiErr.HasCode || apiErr.Status != 502 || apiErr.Raw != "<html>Bad Gateway</html>" {
		t.Fatalf("502 page: %#v", err)
	}
	if sdk.ErrorCode(987654321).String() != "ErrorCode(987654321)" {
		t.Fatal("an unknown code's String()")
	}
}

// knownCodes is every code the package knows, found by probing (the package exports no list).
func knownCodes() map[sdk.ErrorCode]sdk.Info {
	found := map[sdk.ErrorCode]sdk.Info{}
	for c := sdk.ErrorCode(0); c < 10000; c++ {
		if info, ok := c.Lookup(); ok {
			found[c] = info
		}
	}
	return found
}
