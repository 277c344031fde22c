// Enforces the dependency rule of docs/ARCHITECTURE.md by reading import statements:
//   engine -> contracts only; contracts -> nothing of ours; platform -> contracts;
//   governance -> engine, contracts, platform (and other governance features);
//   cli -> sdk, engine, contracts, platform (serve may import server.ts); sdk -> contracts;
//   nothing imports server.ts except cli/serve.ts and tests.
// Packages per layer: each layer may import only `node:` built-ins and the packages listed for it in
// scripts/check-deps.config.json (the engine: DuckDB only; it is a library).
// The shape of a feature (ADR 0005, ADR 0006): query-builder calls live in `*.store.ts` and
// `*.queries.ts`. A call is one that builds a query (selectFrom, insertInto, updateTable, deleteFrom,
// sql``) or runs one (`.execute()`, `.executeTakeFirst()`, `.executeTakeFirstOrThrow()`: running a
// builder a store handed out is SQL outside the store too). Every other module of a governance
// feature (services, routes, helpers, listeners) and every `*.service.ts` or `*.routes.ts` elsewhere
// holds none, except the counts recorded in the configuration with a reason, which may only fall (a
// count that fell must be lowered there). No feature imports another feature's store (read models
// are `*.queries.ts`).
// No file of src or web/src is longer than `maxLines` unless listed with a reason.
// The web console imports from src only contracts and the SDK, and its data layer goes through the
// typed SDK: no file of web/src calls the SDK's
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
// The configuration of the tree checked; a fixture tree without one gets this repository's package
// lists and no recorded exceptions.
const ownConfig = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, 'check-deps.config.json'), 'utf8'),
);
const configFile = path.join(root, 'scripts', 'check-deps.config.json');
const config = fs.existsSync(configFile)
  ? JSON.parse(fs.readFileSync(configFile, 'utf8'))
  : { packages: ownConfig.packages, maxLines: ownConfig.maxLines };
const queryBuilderAllowance = config.queryBuilderCalls ?? {};
const longFiles = config.longFiles ?? {};
const maxLines = config.maxLines ?? 400;
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
const posix = (p) => p.split(path.sep).join('/');
// A call that builds a query (Kysely's builder or its raw-SQL tag) or runs one.
const QUERY_BUILDER =
  /\.(?:selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(|\bsql(?:<[^>]*>)?`|\.execute(?:TakeFirst(?:OrThrow)?)?\(/g;
/** Modules that may hold no query-builder calls beyond their recorded count. */
const sqlFree = (rel) =>
  /\.(?:service|routes)\.ts$/.test(rel) || (featureOf(rel) !== null && !/\.(?:store|queries)\.ts$/.test(rel));
const seenQueryBuilder = new Set();
// `--lower` writes counts that fell into the configuration (never raises one).
const lower = process.argv.includes('--lower');
let lowered = false;
/** The feature folder of a path under src/governance (`governance/<feature>/...`), or null. */
const featureOf = (rel) => {
  const parts = posix(rel).split('/');
  return parts[0] === 'governance' && parts.length > 2 ? parts[1] : null;
};
function checkLength(relToRoot, text) {
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines <= maxLines && longFiles[relToRoot])
    problems.push(
      `${relToRoot}: ${lines} lines now, within ${maxLines}: remove it from longFiles in scripts/check-deps.config.json`,
    );
  if (lines > maxLines && !longFiles[relToRoot])
    problems.push(
      `${relToRoot}: ${lines} lines, over ${maxLines} (split it, or list it under longFiles in scripts/check-deps.config.json with a reason)`,
    );
}
for (const file of fs.existsSync(path.join(root, 'src')) ? walk(path.join(root, 'src')) : []) {
  const rel = path.relative(path.join(root, 'src'), file);
  const relToRoot = posix(path.relative(root, file));
  const layer = rel.includes(path.sep) ? rel.split(path.sep)[0] : null;
  const text = fs.readFileSync(file, 'utf8');
  checkLength(relToRoot, text);
  if (sqlFree(rel)) {
    const calls = (text.match(QUERY_BUILDER) ?? []).length;
    const recorded = queryBuilderAllowance[relToRoot]?.count ?? 0;
    if (queryBuilderAllowance[relToRoot]) seenQueryBuilder.add(relToRoot);
    if (calls > recorded)
      problems.push(
        `${relToRoot}: ${calls} query-builder calls, ${recorded} allowed (SQL, building or running a query, belongs in a *.store.ts or *.queries.ts of the feature)`,
      );
    else if (calls < recorded && lower) {
      if (calls === 0) delete queryBuilderAllowance[relToRoot];
      else queryBuilderAllowance[relToRoot].count = calls;
      lowered = true;
    } else if (calls < recorded)
      problems.push(
        `${relToRoot}: ${calls} query-builder calls, fewer than the ${recorded} recorded: lower queryBuilderCalls in scripts/check-deps.config.json to ${calls} (the ratchet only falls; node scripts/check-deps.mjs --lower does it)`,
      );
  }
  for (const m of text.matchAll(
    /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+['"]([^'".][^'"]*)['"]|import\(\s*['"]([^'".][^'"]*)['"]\s*\)/g,
  )) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('node:') || !layer) continue;
    const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    const packages = config.packages?.[layer];
    if (packages && !packages.includes(pkg))
      problems.push(
        `${rel}: ${layer} must not import the package ${pkg} (allowed: node: built-ins${packages.length ? `, ${packages.join(', ')}` : ''}; see packages in scripts/check-deps.config.json)`,
      );
  }
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
    const from = featureOf(rel);
    const to = featureOf(target);
    if (from && to && from !== to && /\.store\.ts$/.test(target))
      problems.push(
        `${rel}: imports the store of another feature (${spec}); read it through a named read model (${to}/<name>.queries.ts) or a service`,
      );
  }
}
for (const listed of Object.keys(queryBuilderAllowance))
  if (!seenQueryBuilder.has(listed))
    problems.push(
      `${listed}: listed under queryBuilderCalls in scripts/check-deps.config.json but not found`,
    );
for (const listed of Object.keys(longFiles))
  if (!fs.existsSync(path.join(root, listed)))
    problems.push(`${listed}: listed under longFiles in scripts/check-deps.config.json but not found`);
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
const srcRoot = path.join(root, 'src');
for (const file of fs.existsSync(webSrc) ? walk(webSrc) : []) {
  const text = fs.readFileSync(file, 'utf8');
  checkLength(posix(path.relative(root, file)), text);
  for (const m of text.matchAll(
    /(?:import|export)\s[^'";]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g,
  )) {
    const target = path.resolve(path.dirname(file), m[1] ?? m[2]);
    const inSrc = path.relative(srcRoot, target);
    if (inSrc.startsWith('..') || path.isAbsolute(inSrc)) continue;
    const top = inSrc.split(path.sep)[0];
    if (top !== 'contracts' && top !== 'sdk')
      problems.push(
        `${posix(path.relative(root, file))}: the console imports src/${posix(inSrc)}; it may import only src/contracts and src/sdk`,
      );
  }
  const lines = text.split('\n');
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
if (lowered) {
  // Edit the counts in place, so the file keeps its formatting (biome's).
  let text = fs.readFileSync(configFile, 'utf8');
  const original = JSON.parse(text).queryBuilderCalls ?? {};
  for (const [file, entry] of Object.entries(original)) {
    const key = JSON.stringify(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const now = queryBuilderAllowance[file];
    if (!now)
      text = text.replace(new RegExp(`,?\\n\\s*${key}: \\{[^}]*\\}(,?)`), (m, comma) =>
        m.startsWith(',') ? comma : '',
      );
    else if (now.count !== entry.count)
      text = text.replace(new RegExp(`(${key}: \\{\\s*"count": )\\d+`), `$1${now.count}`);
  }
  fs.writeFileSync(configFile, text.replace(/\{\s*\n(\s*)\}/g, '{}'));
  console.log('lowered the query-builder counts that fell in scripts/check-deps.config.json');
}
if (problems.length) {
  console.error(`dependency rule broken:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('dependency rule: ok');
