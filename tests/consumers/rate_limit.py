"""A consumer of the Python SDK: a 429 carrying a rate-limit code this SDK version does not
know yet (3999) is still a RateLimitError, retryable, with its Retry-After delay.
Run by tests/toolchain/test_consumer_scripts.py with the package importable."""

from market_data_errors import ErrorCode, RateLimitError, raise_for_response

body = b'{"code": 3999, "message": "Burst limit exceeded", "data": null}'
try:
    raise_for_response(429, body, {"Retry-After": "12"})
except RateLimitError as error:
    known = "known" if isinstance(error.code, ErrorCode) else "unknown"
    print(
        f"rate limited by {known} code {error.code}: retryable={error.retryable}, retry in {error.retry_after} s"
    )
