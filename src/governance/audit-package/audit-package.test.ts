import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipFile } from 'yazl';
import { ENGINES } from '../../../test/support/engines.ts';
import { readZipEntries } from '../../../test/support/read-zip.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { TIER4_ANSWERS } from '../../../test/support/tier-answers.ts';
import { auditPackageManifestSchema } from '../../contracts/audit-package.ts';
import { describePublicKey } from '../../platform/signing/signing-key.ts';
import { croissantErrors } from '../documentation/formats/croissant.ts';
import { spdxErrors } from '../documentation/formats/spdx-schema.ts';
import { verifyPackage } from './verify-package.ts';

/** Writes entries as a new zip (evidence stored, the rest deflated, as the server does). */
function writeZip(file: string, entries: Map<string, Buffer>): Promise<void> {
  const zip = new ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name, { compress: !name.startsWith('evidence/') });
  zip.end();
  return new Promise((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(file)).on('finish', resolve).on('error', reject);
  });
}

function flip(buf: Buffer, at = Math.floor(buf.length / 2)): Buffer {
  const copy = Buffer.from(buf);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

/** The manifest with one hex digit of its first digest changed to another hex digit. */
function otherHexDigit(manifest: Buffer): Buffer {
  const copy = Buffer.from(manifest);
  const at = manifest.indexOf('"sha256": "') + 20;
  if (at < 20) throw new Error('the manifest has no sha256 digest');
  copy[at] = copy[at] === 0x30 ? 0x31 : 0x30; // '0' <-> '1', any other digit becomes '0'
  return copy;
}

/**
 * What a forger with a key of their own does: recomputes every file's digest in the manifest and
 * signs it again (the package then verifies only by integrity, not by origin).
 */
function resignWithOwnKey(entries: Map<string, Buffer>): void {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const manifest = JSON.parse(entries.get('manifest.json')!.toString());
  manifest.signingKey.id = describePublicKey(pem).id;
  for (const f of manifest.files) {
    const data = f.path === 'signing-key.pem' ? Buffer.from(pem) : entries.get(f.path)!;
    f.sha256 = createHash('sha256').update(data).digest('hex');
    f.size = data.length;
  }
  entries.set('signing-key.pem', Buffer.from(pem));
  const mbytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  entries.set('manifest.json', mbytes);
  entries.set(
    'manifest.sig',
    Buffer.from(
      JSON.stringify({
        algorithm: 'Ed25519',
        keyId: manifest.signingKey.id,
        manifestSha256: createHash('sha256').update(mbytes).digest('hex'),
        signature: sign(null, mbytes, privateKey).toString('base64'),
      }),
    ),
  );
}

describe.each(ENGINES)('audit package on %s', (engine) => {
  let s: TestServer;
  let dir: string;
  let good: string;
  const tokens: Record<string, string> = {};
  const as = async (who: string, method: string, url: string, body?: unknown) => {
    const res = await s.call(method, url, body, tokens[who]);
    if (res.statusCode >= 300) throw new Error(`${method} ${url} as ${who}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const evidenceBytes = [
    Buffer.from('{"metric":"auc","value":0.81}\n'),
    Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251)),
    Buffer.from('<html><body>validation report</body></html>'),
  ];

  beforeAll(async () => {
    s = await startTestServer(engine);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-pkg-'));
    tokens.admin = s.adminToken;
    Object.assign(
      tokens,
      await s.userTokens([
        ['olivia', 'owner'],
        ['vera', 'validator'],
        ['gina', 'governance'],
        ['alice', 'approver'],
        ['audrey', 'auditor'],
        ['oscar', 'owner'],
      ]),
    );
    await as('admin', 'POST', '/api/v1/models', {
      key: 'pkg-pd',
      name: 'Package PD',
      type: 'classification',
      owner: 'olivia',
    });
    const train = await as('olivia', 'POST', '/api/v1/datasets', {
      name: 'pkg-train',
      role: 'training',
      owner: 'olivia',
      locationUri: 's3://bank/pkg-train.csv',
      sha256: 'd'.repeat(64),
      schema: [
        { name: 'age', type: 'BIGINT' },
        { name: 'region', type: 'VARCHAR' },
      ],
      containsPii: true,
      piiColumns: ['age'],
    });
    await as('olivia', 'PUT', `/api/v1/datasets/${train.id}/datasheet`, {
      content: { collection: { text: 'Branch applications.' } },
      publish: true,
    });
    await as('olivia', 'POST', '/api/v1/models/pkg-pd/versions', {
      label: '1.0.0',
      trainingDatasetIds: [train.id],
    });
    await as('olivia', 'POST', '/api/v1/models/pkg-pd/versions/1.0.0/tiering', { answers: TIER4_ANSWERS });
    await as('admin', 'POST', '/api/v1/models/pkg-pd/transition', { to: 'development' });
    await as('admin', 'POST', '/api/v1/models/pkg-pd/transition', { to: 'validation' });
    const review = await as('olivia', 'POST', '/api/v1/models/pkg-pd/versions/1.0.0/reviews', {
      type: 'initial',
      gate: 'production',
    });
    await as('olivia', 'POST', `/api/v1/reviews/${review.id}/submit`);
    await as('gina', 'POST', `/api/v1/reviews/${review.id}/validator`, { validator: 'vera' });
    await as('vera', 'POST', `/api/v1/reviews/${review.id}/transition`, { event: 'start_validation' });
    const caller = {
      principal: {
        userId: 'x',
        username: 'vera',
        role: 'validator' as const,
        scope: 'write' as const,
        tokenId: 't',
      },
      audit: { actor: 'vera', requestId: null },
    };
    const types = ['test_results', 'model_card', 'validation_report'] as const;
    for (const [i, bytes] of evidenceBytes.entries()) {
      const stored = await s.services.evidence.storeUpload(Readable.from([bytes]));
      await s.services.evidence.create(
        caller,
        'pkg-pd',
        '1.0.0',
        { type: types[i]!, title: `evidence ${i}` },
        { ...stored, mediaType: 'application/octet-stream', filename: `file-${i}.bin` },
      );
    }
    await as('vera', 'POST', '/api/v1/models/pkg-pd/versions/1.0.0/evidence', {
      type: 'test_results',
      title: 'linked',
      externalUrl: 'https://docs.example.com/results',
    });
    const finding = await as('vera', 'POST', '/api/v1/models/pkg-pd/versions/1.0.0/findings', {
      title: 'Calibration drifts in the tail',
      description: 'Brier score worsens above 0.8',
      category: 'performance',
      severity: 'high',
      owner: 'olivia',
      reviewId: review.id,
    });
    await as('vera', 'POST', `/api/v1/reviews/${review.id}/transition`, { event: 'request_decision' });
    s.clock.advance(3600_000);
    const decision = await as('alice', 'POST', `/api/v1/reviews/${review.id}/decisions`, {
      outcome: 'approve_with_conditions',
      rationale: 'Independent validation passed',
      conditions: [{ text: 'Recalibrate by Q3', owner: 'olivia', dueAt: '2031-01-01T00:00:00Z' }],
    });
    await as('alice', 'POST', `/api/v1/decisions/${decision.id}/sign`, { note: 'signed' });
    const acceptance = await as('olivia', 'POST', '/api/v1/risk-acceptances', {
      findingIds: [finding.id],
      rationale: 'Manual review of tail scores until recalibration',
      expiresAt: new Date(s.clock.now().getTime() + 60 * 86_400_000).toISOString(),
    });
    await as('gina', 'POST', `/api/v1/risk-acceptances/${acceptance.id}/approve`, {});
    await as('olivia', 'PUT', '/api/v1/models/pkg-pd/versions/1.0.0/card', {
      content: { overview: { text: 'A model card for the audit package test.' } },
    });
    // Another model's events interleave with this one's in the global chain.
    await as('admin', 'POST', '/api/v1/models', { key: 'other', name: 'Other', type: 'classification' });
    await as('admin', 'POST', '/api/v1/models/pkg-pd/versions', { label: '2.0.0' });

    const res = await s.call('GET', '/api/v1/models/pkg-pd/audit-package', undefined, tokens.audrey);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    good = path.join(dir, 'good.zip');
    fs.writeFileSync(good, res.rawPayload);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('verifies, and holds the records, evidence as stored, documents and the events', async () => {
    const result = await verifyPackage(good);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    const entries = await readZipEntries(good);
    const manifest = auditPackageManifestSchema.parse(JSON.parse(entries.get('manifest.json')!.toString()));
    const keys = await as('audrey', 'GET', '/api/v1/keys');
    expect(keys.items[0].id).toBe(manifest.signingKey.id);
    expect(describePublicKey(entries.get('signing-key.pem')!.toString()).id).toBe(keys.items[0].id);
    // Every file but the manifest and its signature is listed.
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      [...entries.keys()].filter((n) => n !== 'manifest.json' && n !== 'manifest.sig').sort(),
    );
    const evidence = JSON.parse(entries.get('records/evidence.json')!.toString());
    expect(evidence).toHaveLength(4);
    for (const [i, bytes] of evidenceBytes.entries()) {
      const e = evidence.find((x: { title: string }) => x.title === `evidence ${i}`);
      expect(entries.get(e.packagePath)).toEqual(bytes);
    }
    const decisions = JSON.parse(entries.get('records/decisions.json')!.toString());
    expect(decisions[0].signatures.map((g: { signer: string }) => g.signer)).toEqual(['alice']);
    expect(decisions[0].conditions[0].text).toBe('Recalibrate by Q3');
    const reviews = JSON.parse(entries.get('records/reviews.json')!.toString());
    expect(reviews[0].checklist.items.length).toBeGreaterThan(0);
    expect(JSON.parse(entries.get('records/findings.json')!.toString())).toHaveLength(1);
    expect(JSON.parse(entries.get('records/risk-acceptances.json')!.toString())[0].state).toBe('active');
    expect(entries.has('documentation/model-card-1.0.0.html')).toBe(true);
    expect(
      JSON.parse(entries.get('documentation/model-card-1.0.0.json')!.toString()).document.versionLabel,
    ).toBe('1.0.0');
    // The standard exports, built from the package's snapshots, validate and are signed like the rest.
    const spdx = JSON.parse(entries.get('standard/model-1.0.0.spdx.json')!.toString());
    expect(spdxErrors(spdx)).toEqual([]);
    const graph = spdx['@graph'] as Record<string, unknown>[];
    expect(graph.find((e) => e.type === 'ai_AIPackage')).toMatchObject({
      name: 'Package PD',
      software_packageVersion: '1.0.0',
      ai_safetyRiskAssessment: 'low',
      ai_useSensitivePersonalInformation: 'yes',
    });
    expect(graph.find((e) => e.type === 'dataset_DatasetPackage')).toMatchObject({
      name: 'pkg-train',
      dataset_dataCollectionProcess: 'Branch applications.',
    });
    expect(graph.find((e) => e.type === 'Relationship')).toMatchObject({ relationshipType: 'trainedOn' });
    expect(spdxErrors(JSON.parse(entries.get('standard/model-2.0.0.spdx.json')!.toString()))).toEqual([]);
    const croissant = JSON.parse(entries.get('standard/dataset-pkg-train.croissant.json')!.toString());
    expect(croissantErrors(croissant)).toEqual([]);
    expect(croissant).toMatchObject({ name: 'pkg-train', 'rai:dataCollection': 'Branch applications.' });
    for (const p of ['standard/model-1.0.0.spdx.json', 'standard/dataset-pkg-train.croissant.json'])
      expect(manifest.files.map((f) => f.path)).toContain(p);
    const html = entries.get('index.html')!.toString();
    expect(html).toContain('Calibration drifts in the tail');
    expect(html).toContain('standard/model-1.0.0.spdx.json');
    expect(html).not.toContain('<script');
    // The model's events, and only its events; none of the other model's.
    const events = entries
      .get('audit/events.jsonl')!
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const other = await s.services.models.authorize(
      { userId: 'x', username: 'admin', role: 'admin', scope: 'admin', tokenId: 't' },
      'other',
      'model.read',
    );
    expect(events.length).toBe(manifest.audit.count);
    expect(events.every((e: { model_id: string }) => e.model_id === manifest.model.id)).toBe(true);
    expect(events.some((e: { model_id: string }) => e.model_id === other.id)).toBe(false);
    expect(
      JSON.parse(entries.get('lineage.json')!.toString()).versions.map((v: { label: string }) => v.label),
    ).toEqual(expect.arrayContaining(['1.0.0', '2.0.0']));
  });

  it.each([
    'manifest.json',
    'records/evidence.json',
    'audit/events.jsonl',
    'index.html',
    'signing-key.pem',
    'documentation/model-card-1.0.0.html',
    'standard/model-1.0.0.spdx.json',
    'standard/dataset-pkg-train.croissant.json',
  ])('fails naming %s when one byte of it changes', async (name) => {
    const entries = await readZipEntries(good);
    const original = entries.get(name)!;
    // In the manifest, one hex digit of a digest becomes another hex digit: the manifest stays a
    // valid manifest (XOR-ing a bit could turn 'f' into 'g'), only no longer the one signed.
    entries.set(name, name === 'manifest.json' ? otherHexDigit(original) : flip(original));
    const bad = path.join(dir, `bad-${name.replace(/\W/g, '_')}.zip`);
    await writeZip(bad, entries);
    const result = await verifyPackage(bad);
    expect(result.ok).toBe(false);
    const files = result.problems.map((p) => p.file);
    expect(files).toContain(name);
    if (name === 'manifest.json') {
      // An unsigned manifest: the signature problem comes first, then what no longer matches it.
      expect(result.problems[0]!.file).toBe('manifest.json');
      expect(result.problems[0]!.problem).toContain('not the manifest that was signed');
    } else if (name === 'signing-key.pem') {
      expect(files).toEqual(expect.arrayContaining(['signing-key.pem', 'manifest.sig']));
    } else expect([...new Set(files)]).toEqual([name]);
  });

  it('fails naming an evidence file whose bytes change in place, in the zip as downloaded', async () => {
    const entries = await readZipEntries(good);
    const evidence = JSON.parse(entries.get('records/evidence.json')!.toString());
    const target = evidence.find((x: { title: string }) => x.title === 'evidence 1').packagePath as string;
    const bytes = fs.readFileSync(good);
    // Stored (not deflated): the file's bytes appear verbatim in the zip.
    const at = bytes.indexOf(evidenceBytes[1]!.subarray(1000, 1064));
    expect(at).toBeGreaterThan(0);
    const bad = path.join(dir, 'bad-inplace.zip');
    fs.writeFileSync(bad, flip(bytes, at + 10));
    const result = await verifyPackage(bad);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.file)).toEqual([target]);
  });

  it('fails on a signature by another key, on an extra file, and on a missing file', async () => {
    const entries = await readZipEntries(good);
    const sig = JSON.parse(entries.get('manifest.sig')!.toString());
    sig.signature = flip(Buffer.from(sig.signature, 'base64'), 5).toString('base64');
    entries.set('manifest.sig', Buffer.from(JSON.stringify(sig)));
    const badSig = path.join(dir, 'bad-sig.zip');
    await writeZip(badSig, entries);
    expect((await verifyPackage(badSig)).problems.map((p) => p.file)).toEqual(['manifest.sig']);

    const extra = await readZipEntries(good);
    extra.set('evidence/smuggled.txt', Buffer.from('not from the server'));
    const withExtra = path.join(dir, 'extra.zip');
    await writeZip(withExtra, extra);
    expect((await verifyPackage(withExtra)).problems).toEqual([
      { file: 'evidence/smuggled.txt', problem: 'is in the zip but not in the manifest' },
    ]);

    const missing = await readZipEntries(good);
    missing.delete('records/findings.json');
    const withMissing = path.join(dir, 'missing.zip');
    await writeZip(withMissing, missing);
    expect((await verifyPackage(withMissing)).problems.map((p) => p.file)).toEqual(['records/findings.json']);
  });

  it('names the changed event when the events file is re-signed by a forger', async () => {
    // Someone with their own key rewrites an event and signs a new manifest: the chain still fails.
    const entries = await readZipEntries(good);
    const lines = entries.get('audit/events.jsonl')!.toString().trim().split('\n');
    const e = JSON.parse(lines[2]!);
    e.actor = 'mallory';
    lines[2] = JSON.stringify(e);
    entries.set('audit/events.jsonl', Buffer.from(`${lines.join('\n')}\n`));
    resignWithOwnKey(entries);
    const forged = path.join(dir, 'forged.zip');
    await writeZip(forged, entries);
    const result = await verifyPackage(forged);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.file).toBe('audit/events.jsonl');
    expect(result.problems[0]!.problem).toContain(`event ${e.seq}`);
    // With the server's key as the trusted key, the forger's key is named too.
    const serverKey = (await as('audrey', 'GET', '/api/v1/keys')).items[0].publicKeyPem;
    const trusted = await verifyPackage(forged, { trustedKeyPem: serverKey });
    expect(trusted.problems.map((p) => p.file)).toEqual(
      expect.arrayContaining(['signing-key.pem', 'manifest.sig', 'audit/events.jsonl']),
    );
  });

  it('lists the standard exports in the signed manifest, and names one that is not what it says', async () => {
    const result = await verifyPackage(good);
    expect(result.standard).toBe(3);
    expect(result.manifest!.standard).toEqual([
      { path: 'standard/model-1.0.0.spdx.json', format: 'spdx-3.0.1', subject: '1.0.0' },
      { path: 'standard/model-2.0.0.spdx.json', format: 'spdx-3.0.1', subject: '2.0.0' },
      { path: 'standard/dataset-pkg-train.croissant.json', format: 'croissant-1.0', subject: 'pkg-train' },
    ]);
    // A forger swaps the SPDX file for another JSON document and re-signs with a key of their own.
    const entries = await readZipEntries(good);
    entries.set('standard/model-1.0.0.spdx.json', Buffer.from('{"bomFormat":"CycloneDX"}\n'));
    entries.set('standard/dataset-pkg-train.croissant.json', Buffer.from('not json'));
    resignWithOwnKey(entries);
    const swapped = path.join(dir, 'swapped.zip');
    await writeZip(swapped, entries);
    expect((await verifyPackage(swapped)).problems).toEqual([
      {
        file: 'standard/model-1.0.0.spdx.json',
        problem:
          'is not an SPDX 3.0.1 document with an AI package (context https://spdx.org/rdf/3.0.1/spdx-context.jsonld)',
      },
      { file: 'standard/dataset-pkg-train.croissant.json', problem: 'is not JSON' },
    ]);
  });

  it('restricts to a version and shows the state as of a time', async () => {
    const v2 = await s.call(
      'GET',
      '/api/v1/models/pkg-pd/audit-package?version=2.0.0',
      undefined,
      tokens.audrey,
    );
    expect(v2.statusCode).toBe(200);
    const v2file = path.join(dir, 'v2.zip');
    fs.writeFileSync(v2file, v2.rawPayload);
    expect((await verifyPackage(v2file)).problems).toEqual([]);
    const v2entries = await readZipEntries(v2file);
    expect(JSON.parse(v2entries.get('records/evidence.json')!.toString())).toEqual([]);
    expect(JSON.parse(v2entries.get('records/decisions.json')!.toString())).toEqual([]);
    expect(
      JSON.parse(v2entries.get('records/versions.json')!.toString()).map((v: { label: string }) => v.label),
    ).toEqual(['2.0.0']);

    const events = (await readZipEntries(good))
      .get('audit/events.jsonl')!
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const decided = events.find((e: { action: string }) => e.action === 'decision.proposed');
    const before = new Date(Date.parse(decided.at) - 1).toISOString();
    const old = await s.call(
      'GET',
      `/api/v1/models/pkg-pd/audit-package?asOf=${before}`,
      undefined,
      tokens.audrey,
    );
    expect(old.statusCode).toBe(200);
    const oldFile = path.join(dir, 'old.zip');
    fs.writeFileSync(oldFile, old.rawPayload);
    const verified = await verifyPackage(oldFile);
    expect(verified.problems).toEqual([]);
    expect(verified.manifest!.asOf).toBe(before);
    const oldEntries = await readZipEntries(oldFile);
    expect(JSON.parse(oldEntries.get('records/decisions.json')!.toString())).toEqual([]);
    expect(JSON.parse(oldEntries.get('records/findings.json')!.toString())).toHaveLength(1);
    // The SPDX document is as of then too: the card was written later, version 2.0.0 did not exist.
    const aiOf = (e: Map<string, Buffer>) =>
      (
        JSON.parse(e.get('standard/model-1.0.0.spdx.json')!.toString())['@graph'] as Record<string, unknown>[]
      ).find((x) => x.type === 'ai_AIPackage')!;
    expect(aiOf(oldEntries).comment).toContain('No model card.');
    expect(aiOf(await readZipEntries(good)).comment).toContain('Model card revision 1 (draft');
    expect(oldEntries.has('standard/model-2.0.0.spdx.json')).toBe(false);
    expect(
      oldEntries
        .get('audit/events.jsonl')!
        .toString()
        .trim()
        .split('\n')
        .every((l) => JSON.parse(l).at <= before),
    ).toBe(true);

    expect(
      (
        await s.call(
          'GET',
          '/api/v1/models/pkg-pd/audit-package?asOf=2000-01-01T00:00:00Z',
          undefined,
          tokens.audrey,
        )
      ).statusCode,
    ).toBe(404);
    expect(
      (await s.call('GET', '/api/v1/models/pkg-pd/audit-package?version=9.9.9', undefined, tokens.audrey))
        .statusCode,
    ).toBe(404);
    // An owner of another model cannot learn this one exists.
    expect(
      (await s.call('GET', '/api/v1/models/pkg-pd/audit-package', undefined, tokens.oscar)).statusCode,
    ).toBe(404);
  });
});

describe('the demo Tier 1 model', () => {
  let s: TestServer;
  let dir: string;
  beforeAll(async () => {
    s = await startTestServer('sqlite');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-pkg-demo-'));
    const { seedDemoPortfolio } = await import('../../demo/seed.ts');
    await seedDemoPortfolio(s.store.db, s.services.identity, s.clock.now());
  }, 180_000);
  afterAll(async () => {
    await s?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('has a package that verifies, with its card, reviews, findings and decisions', async () => {
    const res = await s.call('GET', '/api/v1/models/retail-credit-pd/audit-package');
    expect(res.statusCode).toBe(200);
    const file = path.join(dir, 'demo.zip');
    fs.writeFileSync(file, res.rawPayload);
    const result = await verifyPackage(file);
    expect(result.problems).toEqual([]);
    expect(result.events).toBeGreaterThan(5);
    const entries = await readZipEntries(file);
    expect(entries.has('documentation/model-card-4.0.html')).toBe(true);
    // Approved by two approvers and governance (src/demo/demo-workflow.ts).
    const decisions = JSON.parse(entries.get('records/decisions.json')!.toString());
    const signers = decisions.flatMap((d: { signatures: { signer: string }[] }) =>
      d.signatures.map((g) => g.signer),
    );
    expect(signers).toEqual(expect.arrayContaining(['appr.amy', 'appr.raj', 'gov.tariq']));
    expect(JSON.parse(entries.get('records/reviews.json')!.toString()).length).toBeGreaterThan(0);
    // Tier 1, high-risk under the EU AI Act: SPDX says "high"; both credit datasets have Croissant.
    const spdx = JSON.parse(entries.get('standard/model-4.0.spdx.json')!.toString());
    expect(spdxErrors(spdx)).toEqual([]);
    const ai = (spdx['@graph'] as Record<string, unknown>[]).find((x) => x.type === 'ai_AIPackage')!;
    expect(ai.ai_safetyRiskAssessment).toBe('high');
    const croissant = [...entries.keys()].filter((k) => k.endsWith('.croissant.json'));
    expect(croissant.length).toBeGreaterThanOrEqual(2);
    for (const k of croissant) expect(croissantErrors(JSON.parse(entries.get(k)!.toString()))).toEqual([]);
  });
});
