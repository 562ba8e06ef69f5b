// What generated/js/errors.js exports about the registry, for tests/registry/test_registry.py.
// argv: errors.js URL; stdout: {errors, retired, classes: {code: class name}}.
const sdk = await import(process.argv[2]);
const classes = Object.fromEntries(
  Object.keys(sdk.ERRORS).map((code) => [code, sdk.errorClassFor(Number(code)).name]),
);
process.stdout.write(JSON.stringify({ errors: sdk.ERRORS, retired: sdk.RETIRED_CODES, classes }));
