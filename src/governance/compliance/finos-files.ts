import fs from 'node:fs';
import path from 'node:path';
import { type FinosFile, importFinos } from './finos-import.ts';

export { importFinos };

/** Reads `_risks/*.md` and `_mitigations/*.md` under a FINOS `docs` folder (or the committed extract). */
export function readFinosDir(dir: string): FinosFile[] {
  const files: FinosFile[] = [];
  for (const sub of ['_risks', '_mitigations']) {
    const d = path.join(dir, sub);
    if (!fs.existsSync(d)) throw new Error(`${d}: not found (give the FINOS repository's docs folder)`);
    for (const name of fs.readdirSync(d).sort())
      if (/^(ri|mi)-\d+_.*\.md$/.test(name))
        files.push({ path: `docs/${sub}/${name}`, text: fs.readFileSync(path.join(d, name), 'utf8') });
  }
  return files;
}
