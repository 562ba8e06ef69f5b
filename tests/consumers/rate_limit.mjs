// A consumer of the npm package: a 429 carrying a rate-limit code this SDK version does not
// know yet (3999) is still a RateLimitError, retryable, with its Retry-After delay.
// Run by tests/toolchain/test_consumer_scripts.py with the package installed.
import { RateLimitError, raiseForResponse } from "@market-data/errors";

const body = '{"code": 3999, "message": "Burst limit exceeded", "data": null}';
try {
  raiseForResponse(429, body, new Headers({ "Retry-After": "12" }));
} catch (error) {
  if (!(error instanceof RateLimitError)) throw error;
  const known = error.codeName === null ? "unknown" : "known";
  console.log(`rate limited by ${known} code ${error.code}: retryable=${error.retryable}, retry in ${error.retryAfter} s`);
}
