// A consumer of the Go package: a 429 carrying a rate-limit code this SDK version does not
// know yet (3999) is still a *RateLimitError, retryable, with its Retry-After delay.
// Run by tests/toolchain/test_consumer_scripts.py in a module that requires the package.
package main

import (
	"errors"
	"fmt"
	"net/http"

	mderrors "example.com/market-data/mderrors"
)

func main() {
	body := []byte(`{"code": 3999, "message": "Burst limit exceeded", "data": null}`)
	header := http.Header{}
	header.Set("Retry-After", "12")
	_, err := mderrors.RaiseForResponse(429, body, header)
	var limited *mderrors.RateLimitError
	if errors.As(err, &limited) {
		known := "unknown"
		if limited.Code.Known() {
			known = "known"
		}
		fmt.Printf("rate limited by %s code %d: retryable=%t, retry in %d s\n", known, limited.Code, limited.Retryable, *limited.RetryAfter)
	}
}
