// Runs the shared SDK conformance table (tests/outputs/test_sdk_conformance.py) through a generated errors.js.
// argv: cases.json [errors.js URL]; stdout: one outcome per row, in order:
// {"returns": data} | {"raises": {class, code, name, message, data, retryable, retry_after, http_status,
// doc_url, status, raw}} | {"threw": "..."} for anything that is not an ApiError | {"skipped": kind}.
import { readFileSync } from "node:fs";

const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
const sdk = await import(process.argv[3] ?? "../../generated/js/errors.js");

function run(row) {
  const options = row.now === null ? {} : { now: Date.parse(row.now) };
  if (row.kind === "envelope") return sdk.raiseForEnvelope(row.body, row.headers, options);
  if (row.kind === "response") {
    const body = "base64" in row ? new Uint8Array(Buffer.from(row.base64, "base64")) : row.text;
    return sdk.raiseForResponse(row.status, body, row.headers, options);
  }
  throw new Error(`skipped: ${row.kind}`);
}

const outcomes = cases.map((row) => {
  if (row.kind !== "envelope" && row.kind !== "response") return { skipped: row.kind };
  try {
    const data = run(row);
    return { returns: data === undefined ? null : data };
  } catch (error) {
    if (!(error instanceof sdk.ApiError)) return { threw: String(error) };
    return {
      raises: {
        class: error.constructor.name === error.name ? error.name : `${error.constructor.name}/${error.name}`,
        code: error.code,
        name: error.codeName,
        message: error.message,
        data: error.data,
        retryable: error.retryable,
        retry_after: error.retryAfter,
        http_status: error.httpStatus,
        doc_url: error.docUrl,
        status: error.status,
        raw: error.raw,
      },
    };
  }
});
process.stdout.write(JSON.stringify(outcomes));
