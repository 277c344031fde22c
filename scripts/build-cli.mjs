// Builds the `assay` CLI into dist/cli/, which bin/assay.mjs runs instead of the TypeScript sources
// (run by `npm ci` through `prepare`, or `npm run build:cli`):
//
// - dist/cli/main.mjs: every command. ESM with code splitting: the entry holds commander's command
//   definitions and the SDK; what an action needs (the server, the store, the engine, PDF…) is in
//   chunks loaded by its `await import()`, so `assay --help` or `assay gate` parse only a small file.
//   The packages (node_modules) stay external: Node loads only those a command imports.
// - dist/cli/audit-verify-worker.mjs: the worker thread of `assay audit verify` (a second entry
//   sharing the chunks).
// - dist/cli/validate.mjs: `assay validate` alone, with its packages bundled in (resolving and
//   parsing DuckDB's ~100 CommonJS files at every start cost ~0.15 s); only the native bindings
//   (DuckDB's, onnxruntime-node) stay external.
// - dist/cli/default-policy.yaml, dist/cli/schemas/spdx-3.0.1/ and
//   dist/cli/formats/schemas/oscal-1.1.3/: read by their modules next to themselves, as in src/.
//
// Every file is in the one folder dist/cli/, so `new URL('./x', import.meta.url)` names the same
// neighbour from any chunk. dist/cli/build.json records the build, and bin/assay.mjs compares it
// with the sources' modification times.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
/**
 * Packages bundled into the CLI's own files: those every command loads at start (commander, and
 * zod under the SDK), where one parsed file beats resolving and linking ~120 small modules. Every
 * other package stays in node_modules (native bindings, files read next to their own code…).
 */
const BUNDLED = new Set(['commander', 'zod']);
const external = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);

const here = (p) => new URL(p, import.meta.url).pathname;

/**
 * zod's namespace (`import { z } from 'zod'`) re-exports its 64 message locales (`z.locales`), so
 * a bundle cannot drop them: ~450 KB of the ~750 KB zod chunk that every command parsing an answer
 * loads. Assay never calls `z.config(z.locales.xx())`; only English (zod's default, set by its own
 * classic entry) is used. This plugin gives the bundle a locales index that exports English alone.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes('/zod/')
        ? { path: path.join(args.resolveDir, args.path), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};
const outdir = here('../dist/cli');
const started = Date.now();

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const common = {
  absWorkingDir: here('..'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [zodEnglishOnly],
  // bundled CommonJS code calls require() for Node built-ins and native bindings
  banner: {
    js: "import { createRequire as __assayRequire } from 'node:module'; const require = __assayRequire(import.meta.url);",
  },
};

const main = await build({
  ...common,
  entryPoints: {
    main: here('../src/cli/main.ts'),
    'audit-verify-worker': here('../src/platform/audit/audit-verify-worker.ts'),
    'write-command-manifest': here('../src/cli/write-command-manifest.ts'),
  },
  outdir,
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: '[name]-[hash]',
  external,
  metafile: true,
});

const validate = await build({
  ...common,
  metafile: true,
  entryPoints: { validate: here('../src/cli/validate-main.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  // native bindings stay external: DuckDB's, and ONNX Runtime's (`validate --scorer`), whose
  // package loads its .node binary relative to its own files
  external: ['@duckdb/node-bindings', 'onnxruntime-node'],
});

copyFileSync(here('../src/governance/policy/default-policy.yaml'), `${outdir}/default-policy.yaml`);
// The SPDX 3.0.1 schema and context the SPDX export validates against, read next to its module.
const SPDX_SCHEMAS = 'src/governance/documentation/formats/schemas/spdx-3.0.1';
mkdirSync(`${outdir}/schemas/spdx-3.0.1`, { recursive: true });
for (const name of ['spdx-json-schema.json', 'spdx-context.jsonld', 'README.md']) {
  copyFileSync(here(`../${SPDX_SCHEMAS}/${name}`), `${outdir}/schemas/spdx-3.0.1/${name}`);
}
// NIST's OSCAL 1.1.3 schemas the compliance exports validate against, read by oscal-schema.ts at
// ./formats/schemas/oscal-1.1.3/ next to itself.
const OSCAL_SCHEMAS = 'src/governance/compliance/formats/schemas/oscal-1.1.3';
const OSCAL_FILES = [
  'oscal_catalog_schema.json',
  'oscal_component_schema.json',
  'oscal_assessment-results_schema.json',
  'README.md',
  'LICENSE.md',
];
mkdirSync(`${outdir}/formats/schemas/oscal-1.1.3`, { recursive: true });
for (const name of OSCAL_FILES) {
  copyFileSync(here(`../${OSCAL_SCHEMAS}/${name}`), `${outdir}/formats/schemas/oscal-1.1.3/${name}`);
}
// The command manifest `assay --help` prints from (src/cli/command-manifest.ts), written by the
// bundle itself so that it describes exactly the definitions the bundle holds.
const manifest = spawnSync(process.execPath, [`${outdir}/write-command-manifest.mjs`], { encoding: 'utf8' });
if (manifest.status !== 0) {
  console.error(manifest.stderr);
  throw new Error('could not write the command manifest (dist/cli/commands.json)');
}
writeFileSync(`${outdir}/commands.json`, manifest.stdout);

// The source files the bundle was built from: bin/assay.mjs runs the sources instead when one of
// them changed after the build started. A file added since can only matter once a listed file
// imports it, which changes that file.
const sources = new Set([
  'src/governance/policy/default-policy.yaml',
  `${SPDX_SCHEMAS}/spdx-json-schema.json`,
  `${SPDX_SCHEMAS}/spdx-context.jsonld`,
  ...OSCAL_FILES.filter((f) => f.endsWith('.json')).map((f) => `${OSCAL_SCHEMAS}/${f}`),
]);
for (const input of [...Object.keys(main.metafile.inputs), ...Object.keys(validate.metafile.inputs)]) {
  if (input.startsWith('src/')) sources.add(input);
}
writeFileSync(
  `${outdir}/build.json`,
  `${JSON.stringify({ builtAtMs: started, builtAt: new Date(started).toISOString(), sources: [...sources].sort() }, null, 1)}\n`,
);
// `node scripts/build-cli.mjs --meta`: esbuild's metafile, to see what each chunk holds and imports
if (process.argv.includes('--meta')) writeFileSync(`${outdir}/meta.json`, JSON.stringify(main.metafile));
