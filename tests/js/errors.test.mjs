// Behaviour of generated/js/errors.js for every code of the spec.
// The spec comes as JSON from tests/toolchain/test_js.py (ERRSPEC_JS_FIXTURE); run that, not node directly.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import * as sdk from "../../generated/js/errors.js";

const fixture = process.env.ERRSPEC_JS_FIXTURE;
if (!fixture) {
  throw new Error("ERRSPEC_JS_FIXTURE is not set; run `.venv/bin/python -m pytest tests/toolchain/test_js.py`");
}
const spec = JSON.parse(readFileSync(fixture, "utf8"));
const byCode = new Map(spec.codes.map((c) => [c.code, c]));
const errors = spec.codes.filter((c) => c.code !== 0);
const unknownCodes = [-1, 1, 999, 1999, 3999, 4005, 999999].filter((c) => !byCode.has(c));
/** The category whose range holds `code`, or undefined. */
const rangeOf = (code) => spec.categories.find((c) => c.low <= code && code <= c.high);
/** The class the spec's ranges give an unknown code: ApiError outside every range. */
const rangeClass = (code) => {
  const found = rangeOf(code);
  return found === undefined || found.exception === "ApiError" ? sdk.ApiError : sdk[found.exception];
};

/** The error thrown by `fn`, which must throw. */
function thrown(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  assert.fail("expected a throw");
}

describe("ErrorCode and metadata", () => {
  test("ErrorCode maps every name of the spec to its code, and nothing else", () => {
    assert.deepEqual({ ...sdk.ErrorCode }, Object.fromEntries(spec.codes.map((c) => [c.name, c.code])));
  });

  test("ErrorCode, ERRORS, each entry and its transports are frozen", () => {
    assert.ok(Object.isFrozen(sdk.ErrorCode));
    assert.ok(Object.isFrozen(sdk.ERRORS));
    for (const info of Object.values(sdk.ERRORS)) {
      assert.ok(Object.isFrozen(info), info.name);
      assert.ok(Object.isFrozen(info.transports), info.name);
    }
    assert.throws(() => {
      sdk.ErrorCode.RATE_LIMIT_EXCEEDED = 1;
    }, TypeError);
    assert.throws(() => {
      sdk.ERRORS[3001].retryAfter = false;
    }, TypeError);
    assert.throws(() => {
      sdk.ERRORS[9999] = {};
    }, TypeError);
  });

  test("ERRORS holds the spec's metadata of every code", () => {
    const expected = Object.fromEntries(
      spec.codes.map((c) => [
        c.code,
        {
          name: c.name,
          code: c.code,
          message: c.message,
          category: c.category,
          httpStatus: c.http_status,
          transports: c.transports,
          retryable: c.retryable,
          retryAfter: c.retry_after,
          docUrl: c.doc_url,
          deprecated: c.deprecated,
          retired: false,
        },
      ]),
    );
    assert.deepEqual(JSON.parse(JSON.stringify(sdk.ERRORS)), expected);
  });

  test("errorInfo gives ERRORS entries for known codes only", () => {
    for (const c of spec.codes) assert.equal(sdk.errorInfo(c.code), sdk.ERRORS[c.code]);
    for (const code of [...unknownCodes, 1.5, NaN, "3001", "toString", "constructor", null, undefined]) {
      if (spec.retired.some((r) => r.code === code)) continue;
      assert.equal(sdk.errorInfo(code), undefined, String(code));
    }
  });

  test("RETRY_AFTER_HEADER is the spec's header", () => {
    assert.equal(sdk.RETRY_AFTER_HEADER, spec.retry_after_header);
  });

  test("RETIRED_CODES maps the spec's retired codes to their names, frozen, even when empty", () => {
    assert.deepEqual({ ...sdk.RETIRED_CODES }, Object.fromEntries(spec.retired.map((r) => [r.code, r.name])));
    assert.ok(Object.isFrozen(sdk.RETIRED_CODES));
    for (const r of spec.retired) {
      assert.equal(sdk.errorInfo(r.code).retired, true, String(r.code));
      assert.equal(sdk.errorInfo(r.code).deprecated, true, String(r.code));
    }
  });
});

describe("error classes", () => {
  const exceptions = [...new Set(spec.categories.map((c) => c.exception))].filter((e) => e !== "ApiError");

  test("one class per category exception, each an ApiError with its own name", () => {
    assert.ok(exceptions.length > 0);
    for (const name of exceptions) {
      const cls = sdk[name];
      assert.equal(typeof cls, "function", name);
      assert.equal(Object.getPrototypeOf(cls), sdk.ApiError, name);
      assert.equal(cls.name, name);
      assert.equal(cls.prototype.name, name);
    }
    assert.equal(Object.getPrototypeOf(sdk.ApiError), Error);
    assert.equal(sdk.ApiError.prototype.name, "ApiError");
  });

  test("the module exports no other classes", () => {
    const classes = Object.entries(sdk)
      .filter(([, v]) => typeof v === "function" && /^class\b/.test(Function.prototype.toString.call(v)))
      .map(([k]) => k)
      .sort();
    assert.deepEqual(classes, ["ApiError", ...exceptions].sort());
  });

  test("errorClassFor maps each code to its category's class, unknown codes to their range's", () => {
    for (const c of spec.codes) assert.equal(sdk.errorClassFor(c.code), sdk[c.exception], String(c.code));
    for (const code of unknownCodes) assert.equal(sdk.errorClassFor(code), rangeClass(code), String(code));
  });

  test("ApiError can be built directly: spec message by default, cause kept", () => {
    const cause = new Error("socket closed");
    const error = new sdk.ApiError(5000, undefined, { cause });
    assert.equal(error.message, byCode.get(5000).message);
    assert.equal(error.cause, cause);
    assert.equal(error.data, null);
    assert.equal(error.retryAfter, null);
    assert.equal(new sdk.ApiError(424242).message, "API error 424242");
    assert.equal(new sdk.ApiError(1001, "", null).message, "");
  });
});

describe("raiseForEnvelope, for every code of the spec", () => {
  const success = byCode.get(0);

  test("code 0 returns the example's data itself", () => {
    const body = structuredClone(success.example);
    assert.ok("data" in body);
    assert.equal(sdk.raiseForEnvelope(body), body.data);
    assert.deepEqual(sdk.raiseForEnvelope(body), success.example.data);
  });

  test("code 0 without data returns undefined, whatever the headers", () => {
    assert.equal(sdk.raiseForEnvelope({ code: 0, message: "success" }, { "Retry-After": "5" }), undefined);
    assert.equal(sdk.raiseForEnvelope({ code: 0, message: "success", data: null }), null);
  });

  for (const c of errors) {
    test(`${c.code} ${c.name} throws ${c.exception}`, () => {
      const body = structuredClone(c.example);
      const error = thrown(() => sdk.raiseForEnvelope(body));
      const cls = c.exception === "ApiError" ? sdk.ApiError : sdk[c.exception];
      assert.equal(Object.getPrototypeOf(error), cls.prototype);
      assert.ok(error instanceof sdk.ApiError);
      assert.ok(error instanceof Error);
      assert.equal(error.name, c.exception);
      assert.ok(error.stack.startsWith(`${c.exception}: ${c.example.message}\n`), error.stack);
      assert.equal(String(error), `${c.exception}: ${c.example.message}`);
      assert.equal(error.code, c.code);
      assert.equal(error.message, c.example.message);
      assert.deepEqual(error.data, c.example.data ?? null);
      assert.equal(error.httpStatus, c.http_status);
      assert.equal(error.docUrl, c.doc_url);
      assert.equal(error.retryable, c.retryable);
      assert.equal(error.retryAfter, null);
    });

    test(`${c.code} ${c.name} reads ${spec.retry_after_header} only when the spec says so`, () => {
      const headers = new Headers({ [spec.retry_after_header]: "7" });
      const error = thrown(() => sdk.raiseForEnvelope(c.example, headers));
      assert.equal(error.retryAfter, c.retry_after ? 7 : null);
    });

    test(`${c.code} ${c.name} without a message takes the spec's`, () => {
      const error = thrown(() => sdk.raiseForEnvelope({ code: c.code }));
      assert.equal(error.message, c.message);
      assert.equal(error.data, null);
    });
  }
});

describe("Retry-After: 3001 against 3002", () => {
  const header = spec.retry_after_header;
  const exceeded = byCode.get(3001);
  const exhausted = byCode.get(3002);

  test("the spec still says 3001 carries the header and 3002 does not", () => {
    assert.equal(exceeded.retry_after, true);
    assert.equal(exhausted.retry_after, false);
    assert.equal(exceeded.exception, "RateLimitError");
    assert.equal(exhausted.exception, "RateLimitError");
  });

  const retryAfter = (code, headers) => thrown(() => sdk.raiseForEnvelope({ code, message: "m" }, headers)).retryAfter;

  test("3002 (quota exhausted) ignores the header in every form", () => {
    for (const headers of [new Headers({ [header]: "120" }), { [header]: "120" }, { [header.toLowerCase()]: 120 }]) {
      const error = thrown(() => sdk.raiseForEnvelope({ code: 3002, message: "Quota exhausted" }, headers));
      assert.ok(error instanceof sdk.RateLimitError);
      assert.equal(error.retryAfter, null);
    }
  });

  test("3001 reads a Headers object", () => {
    assert.equal(retryAfter(3001, new Headers({ [header]: "30" })), 30);
    assert.equal(retryAfter(3001, new Headers({ [header.toUpperCase()]: " 45 " })), 45);
    assert.equal(retryAfter(3001, new Headers()), null);
  });

  test("3001 reads a plain object case-insensitively", () => {
    assert.equal(retryAfter(3001, { [header]: "30" }), 30);
    assert.equal(retryAfter(3001, { [header.toLowerCase()]: "31" }), 31);
    assert.equal(retryAfter(3001, { [header.toUpperCase()]: "32" }), 32);
    assert.equal(retryAfter(3001, { [header.toLowerCase()]: 33 }), 33);
    assert.equal(retryAfter(3001, { [header.toLowerCase()]: ["34"] }), 34);
    assert.equal(retryAfter(3001, { "content-type": "application/json" }), null);
    assert.equal(retryAfter(3001, {}), null);
  });

  test("3001 without headers, or with something that is not headers, has none", () => {
    for (const headers of [undefined, null, "30", 30, [header, "30"], { get: 5 }]) {
      assert.equal(retryAfter(3001, headers), null, String(headers));
    }
  });

  test("3001 with an HTTP-date in the past waits 0 seconds", () => {
    assert.equal(retryAfter(3001, { [header]: "Sun, 06 Nov 1994 08:49:37 GMT" }), 0);
  });

  test("3001 measures an HTTP-date from options.now, rounding up", () => {
    const now = Date.UTC(1994, 10, 6, 8, 49, 0, 500);
    const error = thrown(() => sdk.raiseForEnvelope({ code: 3001 }, { [header]: "Sun, 06 Nov 1994 08:49:37 GMT" }, { now }));
    assert.equal(error.retryAfter, 37);
    assert.equal(new sdk.RateLimitError(3001, "m", { headers: { [header]: "Sun, 06 Nov 1994 08:49:01 GMT" }, now }).retryAfter, 1);
  });

  test("3001 with an unusable value has none, and is still a RateLimitError", () => {
    const bad = ["", "soon", "-1", "1.5", "1e3", "0x10", "30 seconds", "Sun, 06 Nov 1994 25:00:00 GMT",
      "Sun, 31 Feb 1994 08:49:37 GMT", "2024-01-01T00:00:00Z", "99999999999999999999"];
    for (const value of bad) {
      const error = thrown(() => sdk.raiseForEnvelope({ code: 3001, message: "m" }, { [header]: value }));
      assert.ok(error instanceof sdk.RateLimitError, value);
      assert.equal(error.retryAfter, null, value);
    }
  });

  test("a headers object that throws does not hide the error", () => {
    const broken = { get() { throw new Error("boom"); } };
    const error = thrown(() => sdk.raiseForEnvelope({ code: 3001, message: "m" }, broken));
    assert.ok(error instanceof sdk.RateLimitError);
    assert.equal(error.retryAfter, null);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.UTC(1994, 10, 6, 8, 49, 0);

  test("integer seconds", () => {
    assert.equal(sdk.parseRetryAfter("0"), 0);
    assert.equal(sdk.parseRetryAfter("120"), 120);
    assert.equal(sdk.parseRetryAfter(120), 120);
    assert.equal(sdk.parseRetryAfter(-1), null);
    assert.equal(sdk.parseRetryAfter(1.5), null);
    assert.equal(sdk.parseRetryAfter(undefined), null);
    assert.equal(sdk.parseRetryAfter(null), null);
  });

  test("the three HTTP-date forms of RFC 9110", () => {
    assert.equal(sdk.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now), 37);
    assert.equal(sdk.parseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now), 37);
    assert.equal(sdk.parseRetryAfter("Sun Nov  6 08:49:37 1994", now), 37);
  });

  test("partial seconds round up; past dates give 0", () => {
    assert.equal(sdk.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now + 36_900), 1);
    assert.equal(sdk.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now + 3_600_000), 0);
  });

  test("a two-digit year more than 50 years ahead is in the previous century", () => {
    const in2030 = Date.UTC(2030, 0, 1);
    assert.equal(sdk.parseRetryAfter("Thursday, 01-Jan-81 00:00:00 GMT", in2030), 0);
    assert.equal(sdk.parseRetryAfter("Monday, 01-Jan-80 00:00:00 GMT", in2030), (Date.UTC(2080, 0, 1) - in2030) / 1000);
    assert.equal(sdk.parseRetryAfter("Tuesday, 01-Jan-30 00:00:10 GMT", in2030), 10);
  });

  test("dates that do not exist, or other formats, are refused", () => {
    for (const value of ["Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 29 Feb 1995 00:00:00 GMT",
      "Sun, 06 Nov 1994 08:49:37 UTC", "06 Nov 1994 08:49:37 GMT", "Sun, 6 Nov 1994 08:49:37 GMT",
      "Sun, 06 Nov 0000 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT\n"]) {
      assert.equal(sdk.parseRetryAfter(value, now), null, value);
    }
  });

  test("a four-digit year below 100 is that year, not 19xx", () => {
    const in0050 = new Date("0050-01-01T00:00:00Z").getTime();
    assert.equal(sdk.parseRetryAfter("Sat, 01 Jan 0050 00:00:09 GMT", in0050), 9);
  });

  test("only spaces and tabs around the value are ignored, as in the Python SDK", () => {
    assert.equal(sdk.parseRetryAfter("\t7 "), 7);
    for (const value of ["\u00a07", "7\ufeff", "\n7"]) assert.equal(sdk.parseRetryAfter(value), null, JSON.stringify(value));
  });
});

describe("raiseForEnvelope, unknown codes and malformed bodies", () => {
  test("an unknown code throws its range's class carrying what was sent", () => {
    assert.ok(unknownCodes.length > 0);
    for (const code of unknownCodes) {
      const error = thrown(() => sdk.raiseForEnvelope({ code, message: "new", data: { x: 1 } }, { "Retry-After": "5" }));
      const retryable = rangeOf(code)?.retryable_default ?? false;
      assert.equal(Object.getPrototypeOf(error), rangeClass(code).prototype, String(code));
      assert.equal(error.name, rangeClass(code).name);
      assert.equal(error.code, code);
      assert.equal(error.codeName, null);
      assert.equal(error.message, "new");
      assert.deepEqual(error.data, { x: 1 });
      assert.equal(error.httpStatus, null);
      assert.equal(error.docUrl, null);
      assert.equal(error.retryable, retryable);
      assert.equal(error.retryAfter, retryable ? 5 : null);
    }
  });

  test("a non-string message falls back to the spec's message", () => {
    const error = thrown(() => sdk.raiseForEnvelope({ code: 2002, message: { text: "x" } }));
    assert.equal(error.message, byCode.get(2002).message);
    assert.equal(thrown(() => sdk.raiseForEnvelope({ code: 3999 })).message, "API error 3999");
  });

  const malformed = [
    null, undefined, "", '{"code": 0}', 0, 3001, true, [], [0], {}, { message: "success" },
    { code: "0" }, { code: "1001" }, { code: 1.5 }, { code: NaN }, { code: Infinity }, { code: null },
    { code: [0] }, { code: 10n }, Object.create(null), { code: 2 ** 53 }, { code: -(2 ** 53) },
  ];

  for (const body of malformed) {
    const label = typeof body === "bigint" ? `${body}n` : JSON.stringify(body, (_, v) => (typeof v === "bigint" ? `${v}n` : v)) ?? String(body);
    test(`a malformed body (${label}) throws ApiError, never a TypeError`, () => {
      const error = thrown(() => sdk.raiseForEnvelope(body, { "Retry-After": "5" }));
      assert.equal(Object.getPrototypeOf(error), sdk.ApiError.prototype);
      assert.equal(error.code, null);
      assert.match(error.message, /^Malformed API envelope/);
      assert.equal(error.data, body === undefined ? null : body);
      assert.equal(error.httpStatus, null);
      assert.equal(error.retryable, false);
      assert.equal(error.retryAfter, null);
    });
  }
});
