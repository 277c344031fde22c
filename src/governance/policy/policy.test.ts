import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { defaultPolicyYaml, parsePolicyYaml, policySha256 } from './policy-document.ts';

function issuesOf(fn: () => unknown): { message: string; issues: { line: number | null; field: string }[] } {
  try {
    fn();
  } catch (e) {
    const err = e as Error & { details: { issues: { line: number | null; field: string }[] } };
    return { message: err.message, issues: err.details.issues };
  }
  throw new Error('expected a validation error');
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('policy document', () => {
  const yaml = defaultPolicyYaml();

  it('the shipped default parses, with four tiers and Annex III dates as data', () => {
    const doc = parsePolicyYaml(yaml);
    expect(doc.tiers.map((t) => t.tier)).toEqual([1, 2, 3, 4]);
    expect(doc.euAiAct.annexIIIAreas.every((a) => a.appliesFrom === '2027-12-02')).toBe(true);
    expect(Object.keys(doc.findings.severities)).toEqual(['critical', 'high', 'medium', 'low']);
  });

  it('a bad value names its line and field path', () => {
    const bad = yaml.replace('remediationDays: 90', 'remediationDays: -3');
    const { message, issues } = issuesOf(() => parsePolicyYaml(bad));
    const line = lineOf(bad, 'remediationDays: -3');
    expect(issues[0]).toMatchObject({ line, field: 'findings.severities.high.remediationDays' });
    expect(message).toContain(`line ${line}`);
  });

  it('an unknown field is named with its own line', () => {
    const bad = yaml.replace(
      '    monitoringRequired: false',
      '    monitoringRequired: false\n    monitoringRequird: true',
    );
    const { issues } = issuesOf(() => parsePolicyYaml(bad));
    expect(issues).toContainEqual(
      expect.objectContaining({ line: lineOf(bad, 'monitoringRequird'), field: 'tiers.3.monitoringRequird' }),
    );
  });

  it('a missing field names the closest existing node', () => {
    const bad = yaml.replace('    reviewFrequencyMonths: 18\n', '');
    const { issues } = issuesOf(() => parsePolicyYaml(bad));
    expect(issues[0]?.field).toBe('tiers.1.reviewFrequencyMonths');
    expect(issues[0]?.line).toBe(lineOf(bad, '  - tier: 2'));
  });

  it('YAML syntax errors name the line', () => {
    const bad = yaml.replace('tiering:', 'tiering: [');
    const { issues } = issuesOf(() => parsePolicyYaml(bad));
    expect(issues[0]?.field).toBe('(syntax)');
    expect(issues[0]?.line).toBeGreaterThan(0);
  });

  it('thresholds must order tiers by score and reference defined tiers', () => {
    const bad = yaml.replace('{ tier: 2, minScore: 38 }', '{ tier: 2, minScore: 70 }');
    const { issues } = issuesOf(() => parsePolicyYaml(bad));
    expect(issues[0]?.field).toBe('tiering.thresholds.1.minScore');
    const undef = yaml.replace(
      '{ tier: 4, minScore: 0 }',
      '{ tier: 4, minScore: 0 }\n    - { tier: 7, minScore: 0 }',
    );
    expect(issuesOf(() => parsePolicyYaml(undef)).issues.map((i) => i.field)).toContain(
      'tiering.thresholds.4.tier',
    );
  });
});

describe.each(ENGINES)('policy API on %s', (engine) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(engine);
  });
  afterAll(async () => t.close());

  it('the first start installs the default as version 1', async () => {
    const res = await t.call('GET', '/api/v1/policy');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.version).toBe(1);
    expect(body.sha256).toBe(policySha256(defaultPolicyYaml()));
  });

  it('PUT stores a new version (YAML and JSON bodies), audited; the same text is a no-op', async () => {
    const next = defaultPolicyYaml().replace('name: Assay default policy', 'name: Acme policy');
    const res = await t.call('PUT', '/api/v1/policy', next, undefined, { 'content-type': 'text/yaml' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: 2, changed: true });
    const stale = await t.call('PUT', '/api/v1/policy', { yaml: `${next}\n# edit` }, undefined, {
      'if-match': '"1"',
    });
    expect(stale.statusCode).toBe(409);
    const again = await t.call('PUT', '/api/v1/policy', { yaml: next }, undefined, { 'if-match': '"2"' });
    expect(again.json()).toMatchObject({ version: 2, changed: false });
    const versions = (await t.call('GET', '/api/v1/policy/versions')).json().items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const audit = await t.call('GET', '/api/v1/audit/events?entityType=policy');
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['policy.installed', 'policy.updated']),
    );
  });

  it('a bad policy is 400 naming line and field, and writes nothing', async () => {
    const bad = defaultPolicyYaml().replace('approvalValidityMonths: 24', 'approvalValidityMonths: lots');
    const res = await t.call('PUT', '/api/v1/policy', { yaml: bad });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.details.field).toBe('tiers.2.approvalValidityMonths');
    expect(err.message).toContain(`line ${lineOf(bad, 'approvalValidityMonths: lots')}`);
    expect((await t.call('GET', '/api/v1/policy')).json().version).toBe(2);
  });

  it('only stewards change the policy; everyone reads it; unknown JSON fields are refused', async () => {
    const { token } = await t.userToken('dev1', 'developer');
    expect((await t.call('GET', '/api/v1/policy', undefined, token)).statusCode).toBe(200);
    const put = await t.call('PUT', '/api/v1/policy', { yaml: defaultPolicyYaml() }, token);
    expect(put.statusCode).toBe(403);
    expect((await t.call('PUT', '/api/v1/policy', { yaml: 'x: 1', extra: 1 })).statusCode).toBe(400);
    expect((await t.call('GET', '/api/v1/policy', undefined, null)).statusCode).toBe(401);
  });
});
