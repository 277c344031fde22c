import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds web/dist when it is missing or older than the console's sources (or the SDK it bundles). */
export function ensureConsoleBuilt(): void {
  const index = path.join(ROOT, 'web', 'dist', 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'web', 'src')),
    newestMtime(path.join(ROOT, 'src', 'sdk')),
    newestMtime(path.join(ROOT, 'src', 'contracts')),
  );
  if (built > sources) return;
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts'],
    {
      cwd: ROOT,
      stdio: 'ignore',
    },
  );
}
