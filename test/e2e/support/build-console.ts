import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Builds web/dist when it is missing (a fresh checkout that skipped `npm ci`'s prepare step). */
export function ensureConsoleBuilt(): void {
  const index = path.join(ROOT, 'web', 'dist', 'index.html');
  if (existsSync(index) && statSync(index).size > 0) return;
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts'],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
}
