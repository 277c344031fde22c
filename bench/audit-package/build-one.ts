/** Builds one audit package from an existing data directory into a file; prints seconds and peak RSS as JSON. */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { systemClock } from '../../src/platform/clock.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { buildServer } from '../../src/server.ts';

const [dataDir, key, out] = process.argv.slice(2) as [string, string, string];
const db = openDatabase({ sqlitePath: path.join(dataDir, 'assay.db') });
const { services } = await buildServer({ db, clock: systemClock, config: { ...loadConfig({}), dataDir } });
const caller = {
  principal: {
    userId: 'bench',
    username: 'admin',
    role: 'admin' as const,
    scope: 'admin' as const,
    tokenId: 'b',
  },
  audit: { actor: 'admin', requestId: null },
};
const rssBefore = process.resourceUsage().maxRSS / 1024;
const t0 = performance.now();
const pkg = await services.auditPackages.open(caller, key, {});
await pipeline(pkg.stream, fs.createWriteStream(out));
const manifest = await pkg.done;
const seconds = (performance.now() - t0) / 1000;
await db.close();
console.log(
  JSON.stringify({
    seconds: +seconds.toFixed(2),
    files: manifest.files.length,
    rssBeforeMB: Math.round(rssBefore),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
