import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../../test/support/test-server.ts';
import { MAX_IMPORT_ROWS } from './import-file.ts';

const CSV = { 'content-type': 'text/csv' };

const modelsCsv = [
  'key,name,type,owner,developers,tags,vendor,links.repository,description',
  'fraud-gbm,Card fraud GBM,classification,olivia,dan,fraud;cards,false,https://git.example/fraud,"Scores card payments, in real time"',
  'churn-lr,"=HYPERLINK(""http://evil"")",regression,olivia,,churn,no,,-1 means unknown',
].join('\n');

describe.each(ENGINES)('bulk import and export on %s', (engine) => {
  let s: TestServer;
  let gov: string;
  let owner: string;
  let stranger: string;

  const auditCount = async () =>
    Number(
      (
        await s.store.db.kysely
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const importCsv = (kind: string, body: string, token: string | null = gov) =>
    s.call('POST', `/api/v1/import?kind=${kind}&format=csv`, body, token, CSV);

  beforeAll(async () => {
    s = await startTestServer(engine);
    gov = (await s.userToken('gina', 'governance')).token;
    owner = (await s.userToken('olivia', 'owner')).token;
    await s.userToken('dan', 'developer');
    stranger = (await s.userToken('sam', 'owner')).token;
  });
  afterAll(async () => {
    await s.close();
  });

  it('imports models from CSV with an audit event each, and a second import of the same file is a no-op', async () => {
    const first = await importCsv('models', modelsCsv);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ kind: 'models', rows: 2, created: 2, updated: 0, unchanged: 0 });
    const fraud = (await s.call('GET', '/api/v1/models/fraud-gbm', undefined, owner)).json();
    expect(fraud).toMatchObject({
      owner: 'olivia',
      developers: ['dan'],
      tags: ['fraud', 'cards'],
      vendor: false,
      status: 'proposed',
      description: 'Scores card payments, in real time',
      links: { repository: 'https://git.example/fraud' },
    });
    const history = (await s.call('GET', '/api/v1/models/fraud-gbm/history', undefined, owner)).json();
    expect(history.items.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['model.registered', 'gina'],
    ]);
    const events = await auditCount();
    const again = await importCsv('models', modelsCsv);
    expect(again.json()).toEqual({ kind: 'models', rows: 2, created: 0, updated: 0, unchanged: 2 });
    expect(await auditCount()).toBe(events);
  });

  it('updates only the rows that differ, leaving absent columns as they are', async () => {
    const res = await importCsv(
      'models',
      'key,name,type,purpose\nfraud-gbm,Card fraud GBM,classification,stop fraud\n',
    );
    expect(res.json()).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const fraud = (await s.call('GET', '/api/v1/models/fraud-gbm', undefined, gov)).json();
    expect(fraud).toMatchObject({
      purpose: 'stop fraud',
      developers: ['dan'],
      tags: ['fraud', 'cards'],
      rowVersion: 2,
    });
  });

  it('refuses a file with bad rows as a whole: 422 naming every row and field, nothing written', async () => {
    const events = await auditCount();
    const bad = [
      'key,name,type,owner,status',
      'good-one,Good,ranking,olivia,',
      'bad-type,Bad,astrology,olivia,',
      'bad-owner,Bad,ranking,nobody,',
      'good-one,Twice,ranking,olivia,',
      'fraud-gbm,Card fraud GBM,classification,olivia,production',
    ].join('\n');
    const res = await importCsv('models', bad);
    expect(res.statusCode).toBe(422);
    const problems = res.json().error.details.problems as { row: number; field: string; line?: number }[];
    expect(problems.map((p) => [p.row, p.field])).toEqual([
      [2, 'type'],
      [3, 'owner'],
      [4, 'key'],
      [5, 'status'],
    ]);
    expect(problems[0]!.line).toBe(3);
    expect((await s.call('GET', '/api/v1/models/good-one', undefined, gov)).statusCode).toBe(404);
    expect(await auditCount()).toBe(events);
  });

  it('rejects unknown columns and fields, malformed CSV and JSON that is not a list of rows', async () => {
    const col = await importCsv('models', 'key,name,type,colour\nx1,X,other,red\n');
    expect(col.statusCode).toBe(422);
    expect(col.json().error.details.problems[0]).toMatchObject({ row: 0, field: 'colour' });
    const field = await s.call('POST', '/api/v1/import?kind=models&format=json', [
      { key: 'x2', name: 'X', type: 'other', colour: 'red' },
    ]);
    expect(field.json().error.details.problems[0]).toMatchObject({
      row: 1,
      field: 'colour',
      message: 'unknown field',
    });
    const ragged = await importCsv('models', 'key,name,type\nx3,"never closed\n');
    expect(ragged.statusCode).toBe(400);
    expect(ragged.json().error.message).toMatch(/line 2/);
    const notRows = await s.call('POST', '/api/v1/import?kind=models&format=json', { rows: [] });
    expect(notRows.statusCode).toBe(422);
    const badKind = await s.call('POST', '/api/v1/import?kind=users&format=csv', 'a\n', gov, CSV);
    expect(badKind.statusCode).toBe(400);
  });

  it('exports CSV with formula-like cells escaped, and the export re-imports as a no-op', async () => {
    const res = await s.call('GET', '/api/v1/export?kind=models&format=csv', undefined, gov);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(res.body).toContain("'-1 means unknown");
    expect(res.body).not.toMatch(/(^|,)=HYPERLINK/m);
    const again = await importCsv('models', res.body);
    expect(again.json()).toMatchObject({ rows: 2, created: 0, updated: 0, unchanged: 2 });
    const churn = (await s.call('GET', '/api/v1/models/churn-lr', undefined, gov)).json();
    expect(churn.name).toBe('=HYPERLINK("http://evil")');
  });

  it('round-trips JSON exports and shows owner-role callers only their models', async () => {
    await s.call('POST', '/api/v1/models', { key: 'sams-model', name: 'Sam', type: 'other' }, stranger);
    const all = (await s.call('GET', '/api/v1/export?kind=models&format=json', undefined, gov)).json();
    expect(all.items.map((m: { key: string }) => m.key)).toEqual(['churn-lr', 'fraud-gbm', 'sams-model']);
    const mine = (await s.call('GET', '/api/v1/export?kind=models&format=json', undefined, stranger)).json();
    expect(mine.items.map((m: { key: string }) => m.key)).toEqual(['sams-model']);
    const res = await s.call('POST', '/api/v1/import?kind=models&format=json', all);
    expect(res.json()).toMatchObject({ rows: 3, created: 0, updated: 0, unchanged: 3 });
  });

  it('imports datasets whose lineage points at rows further down the file, and refuses cycles', async () => {
    const csv = [
      'name,role,derivedFrom,containsPii,piiColumns,schema',
      'features-v1,training,raw-applications,true,age,"[{""name"":""age"",""type"":""int""}]"',
      'raw-applications,reference,,false,,',
    ].join('\n');
    const res = await importCsv('datasets', csv);
    expect(res.json()).toMatchObject({ created: 2 });
    const lineage = (await s.call('GET', '/api/v1/datasets/features-v1/lineage', undefined, gov)).json();
    expect(lineage.ancestors.map((d: { name: string }) => d.name)).toEqual(['raw-applications']);
    expect((await importCsv('datasets', csv)).json()).toMatchObject({ unchanged: 2 });
    const cycle = await importCsv(
      'datasets',
      'name,role,derivedFrom\nraw-applications,reference,features-v1\n',
    );
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().error.details.problems[0]).toMatchObject({ row: 1, field: 'derivedFrom' });
    const pii = await importCsv('datasets', 'name,role,containsPii,piiColumns\nleaky,test,false,email\n');
    expect(pii.json().error.details.problems[0]).toMatchObject({ field: 'piiColumns' });
  });

  it('imports versions with datasets by name and refuses edits to frozen versions', async () => {
    const csv =
      'modelKey,label,trainingDatasets,materialChange,codeCommit\nfraud-gbm,1.0.0,features-v1,true,abc1234\n';
    expect((await importCsv('versions', csv)).json()).toMatchObject({ created: 1 });
    const v = (await s.call('GET', '/api/v1/models/fraud-gbm/versions/1.0.0', undefined, gov)).json();
    expect(v.trainingDatasetIds).toHaveLength(1);
    expect(v.materialChange).toBe(true);
    expect((await importCsv('versions', csv)).json()).toMatchObject({ unchanged: 1 });
    expect((await s.call('POST', '/api/v1/models/fraud-gbm/versions/1.0.0/freeze', {}, gov)).statusCode).toBe(
      200,
    );
    const edit = await importCsv('versions', csv.replace('abc1234', 'def5678'));
    expect(edit.statusCode).toBe(422);
    expect(edit.json().error.details.problems[0]).toMatchObject({ row: 1, field: 'label' });
    const exported = (await s.call('GET', '/api/v1/export?kind=versions&format=csv', undefined, gov)).body;
    expect(exported).toContain('fraud-gbm,1.0.0');
    expect(exported).toContain('features-v1');
    expect((await importCsv('versions', exported)).json()).toMatchObject({ unchanged: 1 });
    const unknown = await importCsv(
      'versions',
      'modelKey,label,trainingDatasets\nnope,1,ghost\nfraud-gbm,2,ghost\n',
    );
    expect(unknown.json().error.details.problems.map((p: { field: string }) => p.field)).toEqual([
      'modelKey',
      'trainingDatasets',
    ]);
  });

  it('tells version subscribers (the material-change hook) about imported versions, once', async () => {
    const seen: string[] = [];
    s.services.versions.onVersionCreated(({ model, version, audit }) => {
      seen.push(`${model.key}@${version.label}:${version.materialChange}:${audit.actor}`);
    });
    const csv = 'modelKey,label,materialChange\nchurn-lr,2.0.0,true\n';
    expect((await importCsv('versions', csv)).json()).toMatchObject({ created: 1 });
    expect((await importCsv('versions', csv)).json()).toMatchObject({ unchanged: 1 });
    expect(seen).toEqual(['churn-lr@2.0.0:true:gina']);
  });

  it('stores hostile strings verbatim, refuses oversized cells by field, and takes files above the JSON body limit', async () => {
    const hostile = `Robert'); DROP TABLE models;-- <script>alert(1)</script> ☃ \u202e`;
    const ok = await s.call('POST', '/api/v1/import?kind=models&format=json', [
      { key: 'hostile-1', name: hostile, type: 'other', description: '%_\\' },
    ]);
    expect(ok.statusCode, ok.body).toBe(200);
    const stored = (await s.call('GET', '/api/v1/models/hostile-1', undefined, gov)).json();
    expect([stored.name, stored.description]).toEqual([hostile, '%_\\']);
    const long = await importCsv(
      'models',
      `key,name,type,description\nlong-1,L,other,${'x'.repeat(10_001)}\n`,
    );
    expect(long.statusCode).toBe(422);
    expect(long.json().error.details.problems[0]).toMatchObject({ row: 1, field: 'description' });
    // 120 rows of 9,000 characters: over the 1 MiB JSON limit of other routes, within the import's.
    const big = Array.from({ length: 120 }, (_, i) => ({
      key: `big-${i}`,
      name: `Big ${i}`,
      type: 'other',
      description: 'd'.repeat(9_000),
    }));
    expect(JSON.stringify(big).length).toBeGreaterThan(1024 * 1024);
    const res = await s.call('POST', '/api/v1/import?kind=models&format=json', big);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json()).toMatchObject({ created: 120 });
  });

  it('needs inventory.import to import (403) and a token for both (401)', async () => {
    expect((await importCsv('models', modelsCsv, owner)).statusCode).toBe(403);
    expect((await importCsv('models', modelsCsv, null)).statusCode).toBe(401);
    expect((await s.call('GET', '/api/v1/export?kind=models&format=csv', undefined, null)).statusCode).toBe(
      401,
    );
  });

  it('refuses more rows than one import takes with a 413', async () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `m-${i},M,other`);
    const res = await importCsv('models', `key,name,type\n${rows.join('\n')}\n`);
    expect(res.statusCode).toBe(413);
  });
});
