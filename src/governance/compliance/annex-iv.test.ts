import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { pdfText } from '../../../test/support/pdf-text.ts';
import { readZipEntries } from '../../../test/support/read-zip.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { TIER1_ANSWERS } from '../../../test/support/tier-answers.ts';
import { auditPackageManifestSchema } from '../../contracts/audit-package.ts';
import { annexIvProblem } from '../audit-package/package-annex-iv.ts';
import { verifyPackage } from '../audit-package/verify-package.ts';
import { findChromium } from '../documentation/pdf.ts';
import { shippedCatalogs } from './catalogs.ts';

/**
 * Annex IV technical documentation: the PDF carries every item with its status (text extracted
 * from the PDF Chromium printed), and the audit package of a high-risk model carries the document,
 * named in the signed manifest, which `verify` checks lists every Annex IV item.
 */
const ITEMS = shippedCatalogs()
  .catalog('eu-ai-act')!
  .requirements.filter((r) => r.kind === 'annex-item')
  .map((r) => r.reference);

describe.each(ENGINES)('Annex IV documentation on %s', (engine) => {
  let t: TestServer;
  let dir: string;
  const tok: Record<string, string> = {};
  const call = async (who: string, method: string, url: string, body?: unknown, want = 200) => {
    const res = await t.call(method, url, body, tok[who]);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(want);
    return res;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-annex-iv-'));
    t = await startTestServer(engine, '2026-09-01T09:00:00.000Z');
    tok.admin = t.adminToken;
    Object.assign(
      tok,
      await t.userTokens([
        ['olivia', 'owner'],
        ['dev', 'developer'],
        ['audrey', 'auditor'],
      ]),
    );
    for (const [key, eu] of [
      [
        'credit',
        {
          annexIIIAreas: ['essential_services'],
          profilesNaturalPersons: true,
          creditOrInsuranceAssessment: true,
        },
      ],
      ['chat', { transparency: ['interacts_with_people'] }],
    ] as const) {
      await call(
        'admin',
        'POST',
        '/api/v1/models',
        { key, name: `Model ${key}`, type: 'classification', owner: 'olivia', developers: ['dev'] },
        201,
      );
      await call('dev', 'POST', `/api/v1/models/${key}/versions`, { label: '1.0.0' }, 201);
      await call(
        'olivia',
        'POST',
        `/api/v1/models/${key}/versions/1.0.0/tiering`,
        { answers: TIER1_ANSWERS, euAiAct: eu },
        201,
      );
    }
    await call(
      'dev',
      'POST',
      '/api/v1/models/credit/versions/1.0.0/evidence',
      { type: 'security_review', title: 'Penetration test 2026', externalUrl: 'https://evidence.example/pt' },
      201,
    );
  }, 90_000);
  afterAll(async () => {
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints a PDF whose text lists every Annex IV item with its status, sources and gaps', async () => {
    const res = await t.call(
      'GET',
      '/api/v1/models/credit/compliance/annex-iv?format=pdf',
      undefined,
      tok.audrey,
    );
    if (!findChromium()) {
      expect(res.statusCode).toBe(503);
      return;
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = pdfText(res.rawPayload).replace(/\s+/g, ' ');
    expect(text).toContain('Annex IV technical documentation: Model credit (credit) version 1.0.0');
    expect(text).toContain('Only the Official Journal text of Regulation (EU) 2024/1689 is authentic');
    for (const item of ITEMS) expect(text).toContain(`${item}:`);
    expect(text).toContain('Penetration test 2026');
    expect(text).toMatch(/Annex IV 2h: [^:]+ Status: Met Sources: security_review: Penetration test 2026/);
    expect(text).toMatch(
      /Annex IV 8: [^:]+ Status: Not met \(gap\) .*?attach current, unexpired 'conformity_assessment' evidence/,
    );
    expect(text).toMatch(/Not met \(gap\)/);
  });

  it('puts the Annex IV documentation of a high-risk model into its audit package, and verify checks it', async () => {
    const res = await call('audrey', 'GET', '/api/v1/models/credit/audit-package');
    const file = path.join(dir, 'credit.zip');
    fs.writeFileSync(file, res.rawPayload);
    const result = await verifyPackage(file);
    expect(result.problems).toEqual([]);
    const entries = await readZipEntries(file);
    const manifest = auditPackageManifestSchema.parse(JSON.parse(entries.get('manifest.json')!.toString()));
    expect(manifest.standard).toContainEqual({
      path: 'standard/annex-iv-1.0.0.md',
      format: 'eu-ai-act-annex-iv',
      subject: '1.0.0',
    });
    const md = entries.get('standard/annex-iv-1.0.0.md')!.toString();
    expect(annexIvProblem(md)).toBeNull();
    expect(md).toContain('Penetration test 2026');
    expect(entries.get('documentation/annex-iv-1.0.0.html')!.toString()).toContain('<h2>Annex IV 2h:');
    expect(entries.get('index.html')!.toString()).toContain('documentation/annex-iv-1.0.0.html');

    // A limited-risk system has no Annex IV documentation in its package.
    const chat = await call('audrey', 'GET', '/api/v1/models/chat/audit-package');
    const chatFile = path.join(dir, 'chat.zip');
    fs.writeFileSync(chatFile, chat.rawPayload);
    expect([...(await readZipEntries(chatFile)).keys()].some((k) => k.includes('annex-iv'))).toBe(false);
  });

  it('verify names a missing item or a document that is not Annex IV documentation', async () => {
    const md = (await call('audrey', 'GET', '/api/v1/models/credit/compliance/annex-iv?format=md')).body;
    expect(annexIvProblem(md)).toBeNull();
    const without8 = md.replace(/\n## Annex IV 8: [\s\S]*?(?=\n## )/, '');
    expect(without8).not.toContain('## Annex IV 8:');
    expect(annexIvProblem(without8)).toBe('does not list Annex IV 8 with a status');
    expect(annexIvProblem('# A model card\n')).toMatch(/not EU AI Act Annex IV/);
  });
});
