import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oscalSchemaErrors } from '../src/governance/compliance/oscal-schema.ts';
import { type RealServer, runCli, startRealServer } from './support/cli-harness.ts';
import { TIER1_ANSWERS } from './support/tier-answers.ts';

/**
 * `assay compliance export oscal-*` against a real `assay serve`: each command writes an OSCAL
 * 1.1.3 document that validates against NIST's schema; an unknown catalog fails with the server's
 * 404.
 */
describe('assay compliance export oscal-* against a real server', () => {
  let server: RealServer;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startRealServer();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-cli-oscal-'));
    env = { ASSAY_URL: server.url, ASSAY_TOKEN: server.token };
    const api = async (url: string, body: unknown) => {
      const res = await fetch(`${server.url}${url}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, `${url}: ${await res.clone().text()}`).toBe(201);
    };
    await api('/api/v1/models', { key: 'credit', name: 'Credit scoring', type: 'classification' });
    await api('/api/v1/models/credit/versions', { label: '1.0.0' });
    await api('/api/v1/models/credit/versions/1.0.0/tiering', {
      answers: TIER1_ANSWERS,
      euAiAct: {
        annexIIIAreas: ['essential_services'],
        profilesNaturalPersons: true,
        creditOrInsuranceAssessment: true,
      },
    });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('writes a valid OSCAL catalog, component definition and assessment results', () => {
    const out = (name: string) => path.join(dir, name);
    const runs = [
      [['compliance', 'export', 'oscal-catalog', 'eu-ai-act', '-o', out('cat.json')], 'catalog', 'cat.json'],
      [
        ['compliance', 'export', 'oscal-component', '-o', out('comp.json')],
        'component-definition',
        'comp.json',
      ],
      [
        ['compliance', 'export', 'oscal-results', 'credit', '--catalog', 'eu-ai-act', '-o', out('ar.json')],
        'assessment-results',
        'ar.json',
      ],
    ] as const;
    for (const [args, model, file] of runs) {
      const r = runCli([...args], env);
      expect(r.status, r.stderr).toBe(0);
      const doc = JSON.parse(fs.readFileSync(out(file), 'utf8'));
      expect(oscalSchemaErrors(model, doc)).toEqual([]);
    }
    const ar = JSON.parse(fs.readFileSync(out('ar.json'), 'utf8'));
    expect(ar['assessment-results'].results).toHaveLength(1);
    const missing = runCli(['compliance', 'export', 'oscal-catalog', 'nope'], env);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/404/);
  });
});
