// A/B of the inventory page's CPU on SQLite, in one process: two checkouts' servers on one filled store.
//   node --import tsx bench/inventory/list-cpu-ab.ts OTHER_CHECKOUT [models=20000] [rounds=3]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fillInventory } from './fill.ts';

const other = path.resolve(process.argv[2]!);
const models = Number(process.argv[3] ?? 20_000);
const rounds = Number(process.argv[4] ?? 3);
const here = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-list-ab-'));
const load = async (root: string) => ({
  open: (await import(`${root}/src/platform/db/database.ts`)).openDatabase,
  migrate: (await import(`${root}/src/platform/db/migrate.ts`)).migrateToLatest,
  build: (await import(`${root}/src/server.ts`)).buildServer,
  boot: (await import(`${root}/src/platform/auth/bootstrap.ts`)).bootstrapAdmin,
  clock: (await import(`${root}/src/platform/clock.ts`)).systemClock,
  config: (await import(`${root}/src/platform/config.ts`)).loadConfig,
});
const mine = await load(here);
const db0 = mine.open({ sqlitePath: path.join(dir, 'assay.db') });
await mine.migrate(db0);
const { services } = await mine.build({
  db: db0,
  clock: mine.clock,
  config: { ...mine.config({}), dataDir: dir },
});
const token = (await mine.boot(services.identity))!.token;
await fillInventory(db0, models, () => {});
db0.sqlite.pragma('optimize');
const filters = [
  '/api/v1/models?limit=20',
  '/api/v1/models?status=production&sort=updatedAt&order=desc&limit=50',
  '/api/v1/models?type=classification&tier=1&limit=50',
  '/api/v1/models?businessUnit=Fraud&genai=false&sort=name&limit=50',
  '/api/v1/models?tag=t7&limit=50',
  '/api/v1/models?owner=owner3&status=validation&limit=50',
];
const apps: [string, { inject: Function }][] = [];
for (const [name, root] of [
  ['this', here],
  ['other', other],
] as const) {
  const m = name === 'this' ? mine : await load(root);
  const db = m.open({ sqlitePath: path.join(dir, 'assay.db') });
  const { app } = await m.build({ db, clock: m.clock, config: { ...m.config({}), dataDir: dir } });
  await app.ready();
  apps.push([name, app]);
}
const bodies = new Map<string, string>();
for (let r = 0; r < rounds; r++)
  for (const [name, app] of r % 2 ? [...apps].reverse() : apps) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 50; i++)
      for (const url of filters) {
        const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
        if (i === 0) {
          const prev = bodies.get(url);
          if (prev !== undefined && prev !== res.body) throw new Error(`${url}: bodies differ`);
          bodies.set(url, res.body);
        }
      }
    const c = process.cpuUsage(c0);
    console.log(
      `${name}: ${((c.user + c.system) / 1000 / (50 * filters.length)).toFixed(2)} CPU ms per page (${os.loadavg()[0]!.toFixed(1)} load)`,
    );
  }
