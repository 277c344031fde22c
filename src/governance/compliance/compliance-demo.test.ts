import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import type { ModelCompliance, PortfolioAnswer } from '../../contracts/compliance.ts';
import type { Evidence } from '../../contracts/evidence.ts';
import { DEMO_DOCUMENTED } from '../../demo/demo-documentation.ts';
import { seedDemoPortfolio } from '../../demo/seed.ts';
import { annexIvProblem } from '../audit-package/package-annex-iv.ts';
import { shippedCatalogs } from './catalogs.ts';

/**
 * The demo portfolio's compliance statuses are what its evidence gives: every evidence satisfier
 * of every high-risk model is recomputed here from the evidence API (current, unexpired evidence
 * of the type) and must agree; attaching and superseding evidence moves the status. A proposed
 * policy whose mapping names a requirement the catalogs lack is refused with its line.
 */
describe.each(ENGINES)('compliance of the demo portfolio on %s', (engine) => {
  let t: TestServer;
  const get = async <T>(url: string): Promise<T> => {
    const res = await t.call('GET', url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json() as T;
  };
  const status = (key: string, version: string) =>
    get<ModelCompliance>(`/api/v1/models/${key}/compliance?catalog=eu-ai-act&version=${version}`);
  const current = async (key: string, version: string) =>
    (await get<{ items: Evidence[] }>(`/api/v1/models/${key}/versions/${version}/evidence`)).items.filter(
      (e) => !e.superseded && !e.expired,
    );

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-11-01T00:00:00.000Z');
    await seedDemoPortfolio(t.store.db, t.services.identity, new Date('2026-11-01T00:00:00Z'));
  }, 240_000);
  afterAll(async () => t?.close());

  it("computes every high-risk model's EU AI Act status from its evidence", async () => {
    const portfolio = await get<PortfolioAnswer>(
      '/api/v1/compliance/portfolio?catalog=eu-ai-act&euAiActClass=high_risk',
    );
    const versions = [...new Set(portfolio.rows.map((r) => `${r.modelKey}@${r.versionLabel}`))];
    expect(versions).toContain(`${DEMO_DOCUMENTED.complete.key}@${DEMO_DOCUMENTED.complete.version}`);
    let checked = 0;
    let met = 0;
    for (const kv of versions) {
      const [key, version] = kv.split('@') as [string, string];
      const evidence = await current(key, version);
      for (const r of (await status(key, version)).catalogs[0]!.requirements)
        for (const s of r.satisfiers.filter((x) => x.kind === 'evidence')) {
          const ofType = evidence.filter((e) => e.type === s.name);
          expect(s.met, `${kv} ${r.requirement} ${s.name}`).toBe(ofType.length > 0);
          expect(s.proofs.map((p) => p.id).sort()).toEqual(ofType.map((e) => e.id).sort());
          for (const p of s.proofs) {
            const e = ofType.find((x) => x.id === p.id)!;
            expect(p).toMatchObject({ hash: e.file?.sha256 ?? null, date: e.createdAt });
          }
          checked++;
          if (s.met) met++;
        }
    }
    // The demo's evidence meets some of these and not others: both sides were compared.
    expect(checked).toBeGreaterThan(10);
    expect(met).toBeGreaterThan(0);
    expect(met).toBeLessThan(checked);
  });

  it('moves when evidence is attached and back when it is superseded', async () => {
    const { key, version } = DEMO_DOCUMENTED.complete;
    const before = await status(key, version);
    const target = before.catalogs[0]!.requirements.find((r) =>
      r.satisfiers.some((s) => s.kind === 'evidence' && !s.met),
    )!;
    const type = target.satisfiers.find((s) => s.kind === 'evidence' && !s.met)!.name;
    const stateOf = async () =>
      (await status(key, version)).catalogs[0]!.requirements.find(
        (r) => r.requirement === target.requirement,
      )!;
    const ev = await t.call('POST', `/api/v1/models/${key}/versions/${version}/evidence`, {
      type,
      title: `${type} for the demo`,
      externalUrl: `https://evidence.example/demo/${type}`,
    });
    expect(ev.statusCode, ev.body).toBe(201);
    const after = await stateOf();
    expect(after.satisfiers.find((s) => s.name === type)).toMatchObject({
      met: true,
      proofs: [{ id: ev.json().id }],
    });
    expect(after.state).not.toBe(target.state);
    expect(after.gaps.length).toBeLessThan(target.gaps.length);
    const sup = await t.call('POST', `/api/v1/evidence/${ev.json().id}/supersede`, {
      reason: 'withdrawn: attached to the wrong version',
    });
    expect(sup.statusCode, sup.body).toBe(200);
    expect((await stateOf()).state).toBe(target.state);
  });

  it('writes Annex IV documentation for the demo high-risk credit model with every item sourced or a gap', async () => {
    const { key, version } = DEMO_DOCUMENTED.complete;
    const res = await t.call('GET', `/api/v1/models/${key}/compliance/annex-iv?format=md&version=${version}`);
    expect(res.statusCode).toBe(200);
    const md = res.body;
    expect(annexIvProblem(md)).toBeNull();
    const sections = md.split('\n## ').slice(1);
    const items = shippedCatalogs()
      .catalog('eu-ai-act')!
      .requirements.filter((r) => r.kind === 'annex-item');
    expect(sections).toHaveLength(items.length);
    for (const s of sections)
      expect(s, s.split('\n')[0]).toMatch(
        /\nSources:\n|\nGaps \(what would close them\):\n|Not applicable: /,
      );
    // The card the demo published is a source (its overview section).
    expect(md).toMatch(/model card/i);
  });

  it('refuses a proposed policy whose mapping names an unknown requirement, naming it and its line', async () => {
    const active = await get<{ yaml: string }>('/api/v1/policy');
    const needle = 'requirement: "eu-ai-act:euaia-14.1-3"';
    expect(active.yaml).toContain(needle);
    const yaml = active.yaml.replace(needle, 'requirement: "eu-ai-act:euaia-14.9"');
    const line = yaml.split('\n').findIndex((l) => l.includes('eu-ai-act:euaia-14.9')) + 1;
    const res = await t.call('PUT', '/api/v1/policy', { yaml });
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.message).toBe(
      `policy is invalid at line ${line}, field compliance.mappings.${error.details.issues[0].field.split('.')[2]}.requirement: unknown requirement 'eu-ai-act:euaia-14.9': 'euaia-14.9' is not in the catalog 'eu-ai-act'`,
    );
    const structural = active.yaml.replace(needle, 'requirement: "nist-ai-rmf:MEASURE"');
    const res2 = await t.call('PUT', '/api/v1/policy', { yaml: structural });
    expect(res2.statusCode).toBe(400);
    expect(res2.json().error.message).toMatch(
      /'nist-ai-rmf:MEASURE' is a function, not an assessable requirement/,
    );
    // Nothing was proposed.
    const list = await get<{ items: unknown[] }>('/api/v1/policy/versions');
    expect(list.items).toHaveLength(1);
  });
});
