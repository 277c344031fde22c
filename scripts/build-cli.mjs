// Bundles the `assay validate` command (src/cli/validate-main.ts and the engine) into
// dist/validate.mjs, which bin/assay.mjs runs instead of the TypeScript sources while it is newer
// than every file under src/. The packages are bundled too (resolving and parsing DuckDB's ~100
// CommonJS files at every start cost ~0.15 s); only the native DuckDB binding stays external.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../src/cli/validate-main.ts', import.meta.url).pathname],
  outfile: new URL('../dist/validate.mjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@duckdb/node-bindings'],
  // the bundled CommonJS packages call require() for the native binding and Node built-ins
  banner: {
    js: "import { createRequire as __assayRequire } from 'node:module'; const require = __assayRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  logLevel: 'warning',
});
