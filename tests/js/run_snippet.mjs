// Runs a generated JS handler snippet against stubbed fetch responses.
// stdin: {"file": path, "function": name, "calls": [{"args": [...], "body": {...}, "headers": {...}}]}
// stdout: [{"returned": ..., "threw": message|null, "logs": [...]}]
import { readFileSync } from "node:fs";
import vm from "node:vm";

const input = JSON.parse(readFileSync(0, "utf8"));
const source = readFileSync(input.file, "utf8");
const results = [];
for (const call of input.calls) {
  const logs = [];
  const requested = [];
  const context = vm.createContext({
    API_KEY: "test-key",
    console: { log: (...args) => logs.push(args.join(" ")) },
    Error,
    fetch: async (url, options) => {
      requested.push({ url, headers: options.headers });
      return {
        json: async () => call.body,
        headers: { get: (name) => (name in call.headers ? call.headers[name] : null) },
      };
    },
  });
  vm.runInContext(source, context, { filename: input.file });
  const result = { returned: null, threw: null, logs, requested };
  try {
    const value = await context[input.function](...call.args);
    result.returned = value === undefined ? "<undefined>" : value;
  } catch (error) {
    result.threw = String(error.message);
  }
  results.push(result);
}
process.stdout.write(JSON.stringify(results));
