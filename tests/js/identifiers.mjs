// Every identifier a JavaScript file binds or reads, by TypeScript's parser: not property
// names after a dot or before a colon in an object literal. JSON, sorted, on stdout. Run by
// tests/outputs/test_snippet_names.py.
import { readFileSync } from "node:fs";
import ts from "typescript";

const file = process.argv[2];
const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
const names = new Set();
const visit = (node) => {
  if (ts.isIdentifier(node)) {
    const parent = node.parent;
    const property =
      (ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent)) && parent.name === node;
    if (!property) names.add(node.text);
  }
  ts.forEachChild(node, visit);
};
visit(source);
console.log(JSON.stringify([...names].sort()));
