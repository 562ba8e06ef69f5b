// TypeScript's own deprecation check (what an editor strikes through): every use of a
// @deprecated declaration in FILE, as JSON [[line, message], ...]. Run by
// tests/outputs/test_lifecycle.py.
import ts from "typescript";

const file = process.argv[2];
const options = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
};
const service = ts.createLanguageService({
  getScriptFileNames: () => [file],
  getScriptVersion: () => "1",
  getScriptSnapshot: (name) =>
    ts.sys.fileExists(name) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(name)) : undefined,
  getCurrentDirectory: () => process.cwd(),
  getCompilationSettings: () => options,
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
  fileExists: ts.sys.fileExists,
  readFile: ts.sys.readFile,
  readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists,
  getDirectories: ts.sys.getDirectories,
});
const errors = service.getSemanticDiagnostics(file);
if (errors.length) {
  console.error(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n"));
  process.exit(1);
}
const source = service.getProgram().getSourceFile(file);
const found = service
  .getSuggestionDiagnostics(file)
  .filter((d) => d.reportsDeprecated)
  .map((d) => [
    source.getLineAndCharacterOfPosition(d.start).line + 1,
    ts.flattenDiagnosticMessageText(d.messageText, "\n"),
  ]);
console.log(JSON.stringify(found));
