// Requests every case of a JSON file over real HTTP with fetch, through the SDK's
// raiseForEnvelope; prints what each raised (tests/toolchain/test_prism.py).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [casesFile, sdkPath] = process.argv.slice(2);
const { raiseForEnvelope } = await import(pathToFileURL(sdkPath).href);
const outcomes = [];
for (const c of JSON.parse(readFileSync(casesFile, "utf8"))) {
  const response = await fetch(c.url, { method: c.method, headers: c.headers });
  const body = await response.json();
  try {
    outcomes.push({ status: response.status, returned: raiseForEnvelope(body, response.headers) });
  } catch (e) {
    outcomes.push({
      status: response.status,
      name: e.name,
      code: e.code,
      message: e.message,
      retryAfter: e.retryAfter,
    });
  }
}
console.log(JSON.stringify(outcomes));
