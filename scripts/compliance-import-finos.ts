// Regenerates src/governance/compliance/catalogs/crosswalk-finos.json from the FINOS extract
// committed in src/governance/compliance/finos/ (or from another docs folder given as argument).
// Run: node --import tsx scripts/compliance-import-finos.ts [docs-dir]
import fs from 'node:fs';
import path from 'node:path';
import { CATALOG_FILES, parseCatalog } from '../src/governance/compliance/catalogs.ts';
import { importFinos, readFinosDir } from '../src/governance/compliance/finos-files.ts';

const root = path.resolve(import.meta.dirname, '..');
const dir = process.argv[2] ?? path.join(root, 'src/governance/compliance/finos');
const catalogs = Object.entries(CATALOG_FILES).map(([n, d]) => parseCatalog(n, d));
const { crosswalk, skipped } = importFinos(readFinosDir(dir), catalogs);
const out = path.join(root, 'src/governance/compliance/catalogs/crosswalk-finos.json');
fs.writeFileSync(out, `${JSON.stringify(crosswalk, null, 2)}\n`);
process.stdout.write(`${crosswalk.edges.length} edges written to ${path.relative(root, out)}\n`);
for (const s of skipped) process.stdout.write(`skipped: ${s}\n`);
