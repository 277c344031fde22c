import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { multipart } from '../../../test/support/multipart.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';

describe.each(ENGINES)('evidence upload limits and validation on %s', (engine) => {
  let t: TestServer;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-03-01T09:00:00.000Z', { uploadLimit: 4096 });
    tok.dev = (await t.userToken('dev', 'developer')).token;
    tok.otto = (await t.userToken('otto', 'owner')).token;
    await t.call('POST', '/api/v1/models', {
      key: 'credit-pd',
      name: 'Credit PD',
      type: 'classification',
      developers: ['dev'],
    });
    await t.call('POST', '/api/v1/models/credit-pd/versions', { label: '1.0' }, tok.dev);
  });
  afterAll(async () => t.close());

  it('uploads over the limit are 413 and write nothing; bad metadata is 400 naming the field', async () => {
    const before = (
      await t.call('GET', '/api/v1/models/credit-pd/versions/1.0/evidence?includeSuperseded=true')
    ).json().items.length;
    const big = multipart({ type: 'test_results', title: 'huge' }, Buffer.alloc(5000, 1));
    const res = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions/1.0/evidence',
      big.body,
      tok.dev,
      big.headers,
    );
    expect(res.statusCode).toBe(413);
    const bad = multipart({ type: 'horoscope', title: 'x' }, Buffer.from('x'));
    const r2 = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions/1.0/evidence',
      bad.body,
      tok.dev,
      bad.headers,
    );
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error.details.field).toBe('metadata.type');
    const r3 = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions/1.0/evidence',
      { type: 'other', title: 'no file' },
      tok.dev,
    );
    expect(r3.statusCode).toBe(400);
    const r4 = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions/1.0/evidence',
      { type: 'other', title: 'x', externalUrl: 'javascript:alert(1)' },
      tok.dev,
    );
    expect(r4.statusCode).toBe(400);
    const r5 = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions/1.0/evidence',
      { type: 'other', title: 'x', externalUrl: 'https://a.example', bogus: 1 },
      tok.dev,
    );
    expect(r5.json().error.details.field).toBe('body.bogus');
    expect(
      (
        await t.call(
          'POST',
          '/api/v1/models/credit-pd/versions/1.0/evidence',
          { type: 'other', title: 'x', externalUrl: 'https://a.example' },
          tok.otto,
        )
      ).statusCode,
    ).toBe(404);
    const after = (
      await t.call('GET', '/api/v1/models/credit-pd/versions/1.0/evidence?includeSuperseded=true')
    ).json().items.length;
    expect(after).toBe(before);
  });

  it('the OpenAPI document describes both upload bodies (multipart with metadata and file; JSON with externalUrl)', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).json();
    const body = doc.paths['/api/v1/models/{key}/versions/{label}/evidence'].post.requestBody;
    expect(Object.keys(body.content).sort()).toEqual(['application/json', 'multipart/form-data']);
    const form = body.content['multipart/form-data'].schema;
    expect(form.required).toEqual(['metadata', 'file']);
    expect(form.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(form.properties.metadata.required).toEqual(['type', 'title']);
    expect(form.properties.metadata.properties.type.enum).toContain('validation_report');
    expect(form.properties.metadata.properties.externalUrl).toBeUndefined();
    const json = body.content['application/json'].schema;
    expect(json.required).toEqual(expect.arrayContaining(['type', 'title', 'externalUrl']));
    expect(json.additionalProperties).toBe(false);
    // Documenting the body does not make Fastify validate it: multipart still reaches the handler.
    const up = multipart({ type: 'test_results', title: 'small' }, Buffer.from('{}'));
    const res = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions/1.0/evidence',
      up.body,
      tok.dev,
      up.headers,
    );
    expect(res.statusCode, res.body).toBe(201);
  });

  it('content is served as a sandboxed attachment with a safe filename', async () => {
    const mp = multipart(
      { type: 'other', title: '<script>alert(1)</script>' },
      Buffer.from('<html><script>alert(1)</script></html>'),
      '../../etc/"evil".html',
      'text/html',
    );
    const up = await t.call(
      'POST',
      '/api/v1/models/credit-pd/versions/1.0/evidence',
      mp.body,
      tok.dev,
      mp.headers,
    );
    expect(up.statusCode).toBe(201);
    expect(up.json().title).toBe('<script>alert(1)</script>');
    const res = await t.call('GET', `/api/v1/evidence/${up.json().id}/content`);
    expect(res.headers['content-security-policy']).toBe('sandbox');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"$/);
  });
});
