import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { genaiSystemCardSchema } from '../../contracts/genai-system-card.ts';

const URL = '/api/v1/models/bot/versions/1.0.0/genai/system-card';
const CARD = {
  provider: 'Acme AI',
  baseModel: 'acme-chat',
  baseModelVersion: '2026-10-01',
  systemPromptSha256: 'ab'.repeat(32),
  tools: [{ name: 'refund_order', description: 'Refunds an order', sideEffects: true }],
  retrievalSources: ['kb://support-policies'],
  guardrails: ['PII redaction on output'],
  humanOversight: 'A support agent approves every answer before it is sent.',
};

describe.each(ENGINES)('GenAI system card on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestServer(engine, '2026-11-01T09:00:00.000Z');
    tok.dev = (await t.userToken('dev', 'developer')).token;
    tok.val = (await t.userToken('val', 'validator')).token;
    const created = await t.call('POST', '/api/v1/models', {
      key: 'bot',
      name: 'Bot',
      type: 'llm_application',
      genai: true,
      developers: ['dev'],
    });
    expect(created.statusCode, created.body).toBe(201);
    await t.call('POST', '/api/v1/models/bot/versions', { label: '1.0.0' });
  });
  afterAll(async () => t.close());

  it('is set by a developer, read back, replaced with an audit record of before and after', async () => {
    expect((await t.call('GET', URL)).statusCode).toBe(404);
    const first = await t.call('PUT', URL, CARD, tok.dev);
    expect(first.statusCode, first.body).toBe(200);
    expect(genaiSystemCardSchema.parse(first.json())).toMatchObject({
      ...CARD,
      updatedBy: 'dev',
      rowVersion: 1,
    });
    const second = await t.call('PUT', URL, { provider: 'Acme AI', baseModel: 'acme-chat-2' }, tok.dev);
    expect(second.json()).toMatchObject({
      baseModel: 'acme-chat-2',
      tools: [],
      guardrails: [],
      rowVersion: 2,
    });
    expect((await t.call('GET', URL, undefined, tok.val)).json().baseModel).toBe('acme-chat-2');
    const events = await t.store.db.kysely
      .selectFrom('audit_events')
      .select(['action', 'before_json', 'after_json'])
      .where('action', '=', 'genai.system_card_set')
      .orderBy('seq')
      .execute();
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[1]?.before_json as string).baseModel).toBe('acme-chat');
    expect(JSON.parse(events[1]?.after_json as string).baseModel).toBe('acme-chat-2');
  });

  it('refuses a validator and bad fields, naming the field', async () => {
    expect((await t.call('PUT', URL, CARD, tok.val)).statusCode).toBe(403);
    const bad = await t.call('PUT', URL, { ...CARD, systemPromptSha256: 'not-a-hash' }, tok.dev);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/systemPromptSha256/);
    const extra = await t.call('PUT', URL, { ...CARD, secret: 1 }, tok.dev);
    expect(extra.statusCode).toBe(400);
    expect((await t.call('PUT', URL, { ...CARD, provider: '  ' }, tok.dev)).statusCode).toBe(400);
  });

  it('feeds the model card draft', async () => {
    await t.call('PUT', URL, CARD, tok.dev);
    const draft = await t.call('POST', '/api/v1/models/bot/versions/1.0.0/card/draft', {});
    expect(draft.statusCode, draft.body).toBe(200);
    const text = draft.json().content.modelDetails.text as string;
    expect(text).toContain('Foundation model acme-chat (2026-10-01) from Acme AI.');
    expect(text).toContain(`System prompt SHA-256: \`${'ab'.repeat(32)}\``);
    expect(text).toContain('`refund_order` (side effects): Refunds an order');
    expect(text).toContain('Human oversight: A support agent approves every answer before it is sent.');
  });
});
