import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { multipart } from '../../../test/support/multipart.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { genaiVersionReportSchema } from '../../contracts/genai.ts';
import { importResultFile } from './import-file.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/genai');

/** Attaches a fixture's derived document (as `assay genai import --model` does). */
async function attach(t: TestServer, label: string, fixture: string, body?: Buffer) {
  const raw = readFileSync(path.join(FIXTURES, fixture));
  const doc = await importResultFile(raw, { text: 'failed', filename: path.basename(fixture) });
  const up = multipart(
    { type: 'genai_evaluation', title: `GenAI evaluation (${doc.source.tool})` },
    body ?? Buffer.from(JSON.stringify(doc)),
    'genai.json',
  );
  const res = await t.call(
    'POST',
    `/api/v1/models/bot/versions/${label}/evidence`,
    up.body,
    undefined,
    up.headers,
  );
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id as string, doc };
}

describe.each(ENGINES)('GenAI report and version comparison on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine, '2026-11-01T09:00:00.000Z');
    await t.call('POST', '/api/v1/models', { key: 'bot', name: 'Bot', type: 'llm_application' });
    for (const label of ['1.0.0', '2.0.0', '3.0.0'])
      await t.call('POST', '/api/v1/models/bot/versions', { label });
  });
  afterAll(async () => t.close());

  it('reports rates recomputed from the rows and names the regressions against the previous version', async () => {
    const good = await attach(t, '1.0.0', 'redteam/good-1.0.0.jsonl');
    await attach(t, '1.0.0', 'garak/qual_review_mixed.report.jsonl');
    const bad = await attach(t, '2.0.0', 'redteam/bad-2.0.0.jsonl');
    const res = await t.call('GET', '/api/v1/models/bot/versions/2.0.0/genai');
    expect(res.statusCode, res.body).toBe(200);
    const report = genaiVersionReportSchema.parse(res.json());
    expect(report.comparedWith).toBe('1.0.0');
    expect(report.runs.map((r) => r.evidenceId)).toEqual([bad.id]);
    expect(report.runs[0]?.rates).toEqual(bad.doc.rates);
    expect(report.runs[0]?.failures).toBe(25);
    expect(report.runs[0]?.failedExamples).toHaveLength(20);
    // Only the same tool is compared: the garak run of 1.0.0 has no counterpart.
    expect(report.comparisons.map((c) => [c.tool, c.previousEvidenceId, c.currentEvidenceId])).toEqual([
      ['assay-redteam', good.id, bad.id],
    ]);
    const llm01 = report.comparisons[0]?.rows.find((r) => r.category === 'owasp-llm:2025:LLM01');
    expect(llm01).toMatchObject({ status: 'regression', delta: 1 });
    expect(report.regressions).toContain('assay-redteam: owasp-llm:2025:LLM01 (Prompt Injection): 0/9 → 9/9');
    expect(report.regressions).toHaveLength(16);
    // Comparing the other way round: every category improved.
    const back = genaiVersionReportSchema.parse(
      (await t.call('GET', '/api/v1/models/bot/versions/1.0.0/genai?against=2.0.0')).json(),
    );
    expect(back.comparedWith).toBe('2.0.0');
    expect(back.regressions).toEqual([]);
    const statuses = new Set(back.comparisons[0]?.rows.map((r) => r.status));
    expect([...statuses].sort()).toEqual(['better', 'improved']);
    expect(back.comparisons[0]?.rows.find((r) => r.category === 'owasp-llm:2025:LLM01')?.status).toBe(
      'improved',
    );
  });

  it('does not trust stored rates, reports unreadable documents, and 404s an unknown version', async () => {
    const { doc } = await attach(t, '3.0.0', 'redteam/bad-2.0.0.jsonl');
    const forged = { ...doc, rates: doc.rates.map((r) => ({ ...r, failures: 0, rate: 0 })) };
    await attach(t, '3.0.0', 'redteam/bad-2.0.0.jsonl', Buffer.from(JSON.stringify(forged)));
    const broken = await attach(
      t,
      '3.0.0',
      'redteam/bad-2.0.0.jsonl',
      Buffer.from('{"format":"assay.genai/v1"}'),
    );
    const report = genaiVersionReportSchema.parse(
      (await t.call('GET', '/api/v1/models/bot/versions/3.0.0/genai')).json(),
    );
    expect(report.runs).toHaveLength(2);
    for (const run of report.runs) expect(run.rates).toEqual(doc.rates);
    expect(report.unreadable).toEqual([
      { evidenceId: broken.id, reason: expect.stringMatching(/^source: /) },
    ]);
    expect(report.comparisons[0]?.rows.every((r) => r.status === 'same')).toBe(true);
    expect((await t.call('GET', '/api/v1/models/bot/versions/9.9.9/genai')).statusCode).toBe(404);
    expect((await t.call('GET', '/api/v1/models/bot/versions/3.0.0/genai?against=0.1')).statusCode).toBe(404);
    expect((await t.call('GET', '/api/v1/models/bot/versions/1.0.0/genai')).json().comparedWith).toBeNull();
  });
});
