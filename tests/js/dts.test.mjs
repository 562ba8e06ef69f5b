// generated/js/errors.d.ts describes generated/js/errors.js: same exports, same literal codes.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import ts from "typescript";

import * as sdk from "../../generated/js/errors.js";

const dts = fileURLToPath(new URL("../../generated/js/errors.d.ts", import.meta.url));
const program = ts.createProgram([dts], {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: [],
});
const checker = program.getTypeChecker();
const source = program.getSourceFile(dts);
const exported = new Map(checker.getExportsOfModule(checker.getSymbolAtLocation(source)).map((s) => [s.name, s]));

/** The literal values of a union (or single literal) type. */
function literals(type) {
  const parts = type.isUnion() ? type.types : [type];
  return parts.map((t) => {
    assert.ok(t.isLiteral(), checker.typeToString(t));
    return t.value;
  });
}

function typeOfExport(name) {
  const symbol = exported.get(name);
  assert.ok(symbol, `errors.d.ts does not export ${name}`);
  return checker.getTypeOfSymbolAtLocation(symbol, source);
}

function declaredType(name) {
  return checker.getDeclaredTypeOfSymbol(exported.get(name));
}

describe("errors.d.ts against errors.js", () => {
  test("the declaration file has no errors", () => {
    const diagnostics = ts.getPreEmitDiagnostics(program);
    assert.deepEqual(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")), []);
  });

  test("it declares exactly the values the module exports", () => {
    const values = [...exported.values()].filter((s) => s.flags & ts.SymbolFlags.Value).map((s) => s.name);
    assert.deepEqual(values.sort(), Object.keys(sdk).sort());
  });

  test("ErrorCode has each code as a readonly literal type", () => {
    const type = typeOfExport("ErrorCode");
    const declared = Object.fromEntries(
      type.getProperties().map((p) => [p.name, checker.getTypeOfSymbolAtLocation(p, source).value]),
    );
    assert.deepEqual(declared, { ...sdk.ErrorCode });
    for (const p of type.getProperties()) {
      const modifiers = ts.getCombinedModifierFlags(p.valueDeclaration);
      assert.ok(modifiers & ts.ModifierFlags.Readonly, p.name);
    }
  });

  test("ErrorCodeValue and ErrorName are the unions of the codes and names", () => {
    assert.deepEqual(literals(declaredType("ErrorCodeValue")).sort(), Object.values(sdk.ErrorCode).sort());
    assert.deepEqual(literals(declaredType("ErrorName")).sort(), Object.keys(sdk.ErrorCode).sort());
    const categories = [...new Set(Object.values(sdk.ERRORS).map((i) => i.category))];
    assert.deepEqual(literals(declaredType("ErrorCategory")).sort(), categories.sort());
  });

  test("RETRY_AFTER_HEADER is typed as its value", () => {
    assert.deepEqual(literals(typeOfExport("RETRY_AFTER_HEADER")), [sdk.RETRY_AFTER_HEADER]);
  });

  test("each error class's code is any number or null: an unknown code of its range lands there too", () => {
    const classes = Object.entries(sdk).filter(([, v]) => Object.getPrototypeOf(v) === sdk.ApiError);
    assert.ok(classes.length > 0);
    for (const [name] of classes) {
      const instance = declaredType(name);
      const code = checker.getTypeOfSymbolAtLocation(instance.getProperty("code"), source);
      assert.equal(checker.typeToString(code), "number | null", name);
      const base = checker.getBaseTypes(instance).map((t) => t.symbol.name);
      assert.deepEqual(base, ["ApiError"], name);
    }
  });
});
