// Runs the shared SDK conformance cases (tests/outputs/test_sdk_conformance.py) through generated/js/errors.js.
// argv: cases.json [errors.js URL]; stdout: one outcome per case, in order:
// {"returns": data} | {"raises": {class, code, message, data, retryable, retry_after, http_status, doc_url}}
// | {"threw": "..."} for anything that is not an ApiError.
import { readFileSync } from "node:fs";

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
const sdk = await import(process.argv[3] ?? "../../generated/js/errors.js");

const outcomes = cases.map(({ body, headers, now }) => {
  const options = now === null ? {} : { now: Date.parse(now) };
  try {
    const data = sdk.raiseForEnvelope(body, headers, options);
    return { returns: data === undefined ? null : data };
  } catch (error) {
    if (!(error instanceof sdk.ApiError)) return { threw: String(error) };
    return {
      raises: {
        class: error.constructor.name === error.name ? error.name : `${error.constructor.name}/${error.name}`,
        code: error.code,
        message: error.message,
        data: error.data,
        retryable: error.retryable,
        retry_after: error.retryAfter,
        http_status: error.httpStatus,
        doc_url: error.docUrl,
      },
    };
  }
});
process.stdout.write(JSON.stringify(outcomes));
