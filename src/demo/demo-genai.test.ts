import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../test/support/test-server.ts';
import { genaiVersionReportSchema } from '../contracts/genai.ts';
import { verifyState } from '../platform/audit/state-verify.ts';
import { seedDemoPortfolio } from './seed.ts';

describe.each(ENGINES)('demo GenAI evidence on %s', (engine) => {
  let t: TestServer;
  let summary: string;
  beforeAll(async () => {
    t = await startTestServer(engine, '2026-11-01T00:00:00.000Z');
    summary = await seedDemoPortfolio(
      t.store.db,
      t.services.identity,
      new Date('2026-11-01T00:00:00Z'),
      t.services.blobs,
    );
  }, 300_000);
  afterAll(async () => t?.close());

  it('the support assistant candidate names its regressions against 0.9, with system cards on both', async () => {
    expect(summary).toMatch(/GenAI: 2 system cards, 4 evidence files on support-assistant-llm/);
    const res = await t.call('GET', '/api/v1/models/support-assistant-llm/versions/1.0-rc1/genai');
    expect(res.statusCode, res.body).toBe(200);
    const report = genaiVersionReportSchema.parse(res.json());
    expect(report.comparedWith).toBe('0.9');
    expect(report.runs).toHaveLength(1);
    expect(report.regressions).toContain(
      'assay-redteam: owasp-llm:2025:LLM07 (System Prompt Leakage): 0/4 → 4/4',
    );
    const card = await t.call('GET', '/api/v1/models/support-assistant-llm/versions/0.9/genai/system-card');
    expect(card.json()).toMatchObject({ baseModelVersion: '2026-03-snapshot', updatedBy: 'dev.priya' });
    // The trail's snapshots of the cards match the stored rows (audit verify --state compares them).
    const state = await verifyState(t.store.db);
    expect(state.mismatches).toEqual([]);
    expect(state.types.find((x) => x.entityType === 'genai_system_card')?.table).toBe('genai_system_cards');
  });
});
