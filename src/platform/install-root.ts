import { existsSync } from 'node:fs';
import path from 'node:path';

let root: string | null = null;

/**
 * The folder Assay is installed in (the one holding its package.json): the repository from the
 * TypeScript sources (src/platform/) and from the CLI bundle (dist/cli/) alike, so that files
 * shipped beside the code (web/dist, data/) are found from either.
 */
export function installRoot(): string {
  if (root) return root;
  for (let dir = import.meta.dirname; ; ) {
    if (existsSync(path.join(dir, 'package.json'))) {
      root = dir;
      return root;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${import.meta.dirname}`);
    dir = parent;
  }
}
