// Runs a generated JS handler snippet as written: real fetch against a local
// http.createServer that answers each call's scripted responses in turn (the last
// one repeats). API_BASE_URL and API_KEY come from the environment, as the snippet reads
// them; the wait between retries is injected (recorded, not slept).
// stdin: {"file", "function", "apiKey", "calls": [{"args": [...], "responses": [{"status", "body", "headers"}]}]}
// stdout: [{"returned", "threw", "logs", "waits", "requested": [{"url", "apiKey"}]}]
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import vm from "node:vm";

const input = JSON.parse(readFileSync(0, "utf8"));
const source = readFileSync(input.file, "utf8");
const results = [];
for (const call of input.calls) {
  const requested = [];
  const server = createServer((req, res) => {
    requested.push({ url: req.url, apiKey: req.headers["x-api-key"] ?? null });
    const r = call.responses[Math.min(requested.length, call.responses.length) - 1];
    res.writeHead(r.status, { "Content-Type": "text" in r ? "text/html" : "application/json", ...r.headers });
    res.end("text" in r ? r.text : JSON.stringify(r.body));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const env = { API_BASE_URL: `http://127.0.0.1:${server.address().port}`, API_KEY: input.apiKey };
  const logs = [];
  const waits = [];
  const context = vm.createContext({
    process: { env },
    fetch,
    setTimeout,
    console: { log: (...args) => logs.push(args.join(" ")) },
  });
  // The snippet is an ES module (it exports its function): linked with no imports of its own.
  const module = new vm.SourceTextModule(source, { context, identifier: input.file });
  await module.link(() => {
    throw new Error("the snippet imports nothing");
  });
  await module.evaluate();
  const result = { returned: null, threw: null, logs, waits, requested };
  try {
    const wait = async (ms) => {
      waits.push(ms);
    };
    const value = await module.namespace[input.function](...call.args, wait);
    result.returned = value === undefined ? "<undefined>" : value;
  } catch (error) {
    result.threw = String(error.message);
  }
  server.close();
  results.push(result);
}
process.stdout.write(JSON.stringify(results));
