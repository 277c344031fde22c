#!/usr/bin/env node
// Runs the CLI from its bundle in dist/cli/ (built by `npm ci` through `prepare`, or by
// `npm run build:cli`): main.mjs for every command, validate.mjs for `assay validate` (the engine
// alone). No TypeScript loader is needed then.
//
// In a repository checkout whose sources are newer than the bundle (a developer editing src/), or
// with ASSAY_NO_BUNDLE=1, or before any build, the TypeScript sources run through tsx instead
// (about 2 s of start-up; `npm run build:cli` makes the bundle fresh again). The check costs one
// stat per source file the bundle was built from (listed in dist/cli/build.json, a few ms); an
// installed package without src/ always runs the bundle.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const dist = new URL('dist/cli/', root);

/**
 * True when dist/cli/build.json exists and none of the source files it lists changed after the
 * build started (or, in an installed package, no longer exists beside it: it has no src/).
 */
function bundleIsFresh() {
  let build;
  try {
    build = JSON.parse(readFileSync(new URL('build.json', dist), 'utf8'));
  } catch {
    return false;
  }
  const rootPath = decodeURIComponent(root.pathname);
  let hasSources = false;
  try {
    hasSources = statSync(`${rootPath}src`).isDirectory();
  } catch {}
  if (!hasSources) return true;
  for (const file of build.sources) {
    const stat = statSync(rootPath + file, { throwIfNoEntry: false });
    if (!stat || stat.mtimeMs > build.builtAtMs) return false;
  }
  return true;
}

if (process.env.ASSAY_NO_BUNDLE !== '1' && bundleIsFresh()) {
  await import(new URL(process.argv[2] === 'validate' ? 'validate.mjs' : 'main.mjs', dist).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
