// Bundles the `assay validate` command (src/cli/validate-main.ts and the engine) into
// dist/validate.mjs, which bin/assay.mjs runs instead of the TypeScript sources while it is newer
// than every file under src/. Packages stay external (native DuckDB bindings, etc.).
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../src/cli/validate-main.ts', import.meta.url).pathname],
  outfile: new URL('../dist/validate.mjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
