#!/usr/bin/env node
// `assay validate` runs from dist/validate.mjs (built by `npm run build:cli`, part of `npm ci`)
// while that bundle is newer than every source file; everything else, and validate after a source
// change, runs the TypeScript sources through tsx, so a fresh clone needs no build step.
import { readdirSync, statSync } from 'node:fs';

const bundle = new URL('../dist/validate.mjs', import.meta.url);

function bundleIsFresh() {
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  const src = new URL('../src/', import.meta.url);
  for (const file of readdirSync(src, { recursive: true })) {
    if (statSync(new URL(file, src)).mtimeMs > built) return false;
  }
  return true;
}

if (process.argv[2] === 'validate' && process.env.ASSAY_NO_BUNDLE !== '1' && bundleIsFresh()) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
