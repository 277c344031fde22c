// Enforces the dependency rule of docs/ARCHITECTURE.md by reading import statements:
//   engine -> contracts only; contracts -> nothing of ours; platform -> contracts;
//   governance -> engine, contracts, platform (and other governance features);
//   cli -> sdk, engine, contracts, platform (serve may import server.ts); sdk -> contracts;
//   nothing imports server.ts except cli/serve.ts and tests.
// The web console's data layer goes through the typed SDK: no file of web/src calls the SDK's
// transport or an untyped `get<T>(path)`-style helper, imports the removed console extras, or
// fetches an /api path itself (every answer is then validated against its zod contract).
// Also: the repository stands alone, so no source, test, script or fixture reads the shared folder
// beside it (the developers' reading folder, which a user's clone does not have).
import fs from 'node:fs';
import path from 'node:path';

// `--root <dir>` checks another tree (the check's own tests run it on fixtures).
const rootArg = process.argv.indexOf('--root');
const root =
  rootArg > 0 ? path.resolve(process.argv[rootArg + 1] ?? '.') : path.resolve(import.meta.dirname, '..');
const allowed = {
  engine: ['engine', 'contracts'],
  contracts: ['contracts'],
  platform: ['platform', 'contracts'],
  governance: ['governance', 'engine', 'contracts', 'platform'],
  sdk: ['sdk', 'contracts'],
  cli: ['cli', 'sdk', 'engine', 'contracts', 'platform', 'governance', 'demo'],
  demo: ['demo', 'governance', 'platform', 'contracts', 'engine'],
};

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) yield p;
  }
}

const problems = [];
for (const file of fs.existsSync(path.join(root, 'src')) ? walk(path.join(root, 'src')) : []) {
  const rel = path.relative(path.join(root, 'src'), file);
  const layer = rel.includes(path.sep) ? rel.split(path.sep)[0] : null;
  const text = fs.readFileSync(file, 'utf8');
  for (const m of text.matchAll(
    /(?:import|export)\s[^'";]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g,
  )) {
    const spec = m[1] ?? m[2];
    const target = path.relative(path.join(root, 'src'), path.resolve(path.dirname(file), spec));
    const targetLayer = target.includes(path.sep) ? target.split(path.sep)[0] : target.replace(/\.tsx?$/, '');
    if (targetLayer === 'server' && rel !== path.join('cli', 'serve.ts'))
      problems.push(`${rel}: imports server.ts`);
    if (!layer || targetLayer === 'version' || targetLayer === 'server') continue;
    const ok = allowed[layer];
    if (ok && !ok.includes(targetLayer))
      problems.push(`${rel}: ${layer} must not import ${targetLayer} (${spec})`);
  }
}
const UNTYPED_WEB_CALLS = [
  [
    /\.(?:get|post|put|patch|delete|upload|call)<[^>]*>\s*\(/,
    'calls the API untyped (`.get<T>(path)` style)',
  ],
  [/\.call\(\s*['"`](?:GET|POST|PUT|PATCH|DELETE)['"`]/, "calls the SDK's transport directly"],
  [/\.transport\b|\bnew Transport\(/, "reaches into the SDK's transport"],
  [/console-extras|consoleExtras/, 'uses the removed console extras'],
  [/\bfetch\(\s*['"`][^'"`]*\/api\//, 'fetches an /api path itself'],
];
const webSrc = path.join(root, 'web', 'src');
for (const file of fs.existsSync(webSrc) ? walk(webSrc) : []) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    for (const [re, what] of UNTYPED_WEB_CALLS)
      if (re.test(line))
        problems.push(
          `${path.relative(root, file)}:${i + 1}: ${what}; use the typed SDK (src/sdk) through web/src/app/api.ts`,
        );
  });
}
const OUTSIDE = /\.\.\/(?:\.\.\/)*shared\/|'shared', 'data'/;
function* walkAll(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walkAll(p);
    else if (/\.(?:[cm]?[jt]sx?|json|py|sh|ya?ml)$/.test(entry.name)) yield p;
  }
}
for (const dir of ['src', 'test', 'scripts', 'bench', 'web/src', '.ci']) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) continue;
  for (const file of walkAll(abs)) {
    if (file === import.meta.filename) continue;
    if (OUTSIDE.test(fs.readFileSync(file, 'utf8')))
      problems.push(
        `${path.relative(root, file)}: reads the shared folder beside the repository, which a clone does not have (copy the data into the repository)`,
      );
  }
}
if (problems.length) {
  console.error(`dependency rule broken:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('dependency rule: ok');
