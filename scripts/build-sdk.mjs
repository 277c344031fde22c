// Builds the published SDK into dist/sdk: one ES module (dist/sdk/index.js, the SDK and the zod
// contracts it validates against, with zod as its only import) and its type declarations
// (dist/sdk/types/…, emitted by the TypeScript compiler from src/sdk and src/contracts). The
// package's `exports` map points at both; `npm pack` ships them (see src/sdk/README.md).
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist', 'sdk');
fs.rmSync(out, { recursive: true, force: true });

await build({
  entryPoints: [path.join(root, 'src', 'sdk', 'index.ts')],
  outfile: path.join(out, 'index.js'),
  bundle: true,
  // The SDK runs wherever fetch does: Node 20+, browsers, workers.
  platform: 'neutral',
  format: 'esm',
  target: 'es2022',
  external: ['zod'],
  sourcemap: 'linked',
  logLevel: 'warning',
});

const program = ts.createProgram([path.join(root, 'src', 'sdk', 'index.ts')], {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: [],
  strict: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  rewriteRelativeImportExtensions: true,
  verbatimModuleSyntax: true,
  declaration: true,
  emitDeclarationOnly: true,
  rootDir: path.join(root, 'src'),
  outDir: path.join(out, 'types'),
});
const emitted = program.emit();
const problems = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
if (problems.length) {
  const host = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => '\n',
  };
  console.error(ts.formatDiagnostics(problems, host));
  process.exit(1);
}
const entry = path.join(out, 'types', 'sdk', 'index.d.ts');
if (!fs.existsSync(entry)) {
  console.error(`build-sdk: no declarations at ${path.relative(root, entry)}`);
  process.exit(1);
}
// The sources import './x.ts'; the declarations must name the emitted './x.js' for Node resolution.
const dts = fs
  .readdirSync(path.join(out, 'types'), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.d.ts'));
for (const f of dts) {
  const file = path.join(out, 'types', f);
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.replace(/((?:from|import)\s*\(?\s*['"]\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1.js$2'));
}
console.log(`SDK built: dist/sdk/index.js and ${dts.length} declaration files`);
