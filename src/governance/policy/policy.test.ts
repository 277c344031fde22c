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

  it('PUT proposes a version; a second person approves it before it is active; the same text is a no-op', async () => {
    const { token: gov } = await t.userToken('gov-policy', 'governance');
    const next = defaultPolicyYaml().replace('name: Assay default policy', 'name: Acme policy');
    const res = await t.call('PUT', '/api/v1/policy', next, undefined, { 'content-type': 'text/yaml' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({
      version: 2,
      state: 'proposed',
      active: false,
      changed: true,
      baseVersion: 1,
    });
    expect((await t.call('GET', '/api/v1/policy')).json().version).toBe(1);
    const stale = await t.call('PUT', '/api/v1/policy', { yaml: `${next}\n# edit` }, undefined, {
      'if-match': '"2"',
    });
    expect(stale.statusCode).toBe(409);
    const same = await t.call('PUT', '/api/v1/policy', { yaml: next });
    expect(same.statusCode).toBe(202);
    expect(same.json()).toMatchObject({ version: 2, changed: false });
    // The proposer cannot approve their own proposal.
    const self = await t.call('POST', '/api/v1/policy/versions/2/approve', {});
    expect(self.statusCode).toBe(403);
    expect(self.json().error.details).toMatchObject({ rule: 'separation_of_duties', violation: 'requester' });
    const approved = await t.call('POST', '/api/v1/policy/versions/2/approve', { note: 'reviewed' }, gov);
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      version: 2,
      state: 'approved',
      active: true,
      decidedBy: 'gov-policy',
    });
    expect((await t.call('GET', '/api/v1/policy')).json()).toMatchObject({ version: 2, state: 'approved' });
    expect((await t.call('POST', '/api/v1/policy/versions/2/approve', {}, gov)).statusCode).toBe(409);
    const again = await t.call('PUT', '/api/v1/policy', { yaml: next }, undefined, { 'if-match': '"2"' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ version: 2, changed: false });
    const versions = (await t.call('GET', '/api/v1/policy/versions')).json().items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const audit = await t.call('GET', '/api/v1/audit/events?limit=500');
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['policy.installed', 'policy.proposed', 'policy.approved']),
    );
  });

  it('one governance user cannot replace the policy alone; rejected and outdated proposals never become active', async () => {
    const tok = await t.userTokens([
      ['gov-a', 'governance'],
      ['gov-b', 'governance'],
    ]);
    const active = (await t.call('GET', '/api/v1/policy')).json();
    const propose = (text: string, who: string) => t.call('PUT', '/api/v1/policy', { yaml: text }, tok[who]);
    const lone = await propose(`${active.yaml}\n# gov-a alone\n`, 'gov-a');
    expect(lone.statusCode).toBe(202);
    const v = lone.json().version;
    const alone = await t.call('POST', `/api/v1/policy/versions/${v}/approve`, {}, tok['gov-a']);
    expect(alone.statusCode).toBe(403);
    expect(alone.json().error.details).toMatchObject({
      rule: 'separation_of_duties',
      violation: 'requester',
    });
    expect((await t.call('POST', `/api/v1/policy/versions/${v}/reject`, {}, tok['gov-a'])).statusCode).toBe(
      403,
    );
    expect((await t.call('GET', '/api/v1/policy')).json().version).toBe(active.version);
    const rejected = await t.call(
      'POST',
      `/api/v1/policy/versions/${v}/reject`,
      { note: 'no' },
      tok['gov-b'],
    );
    expect(rejected.json()).toMatchObject({ state: 'rejected', active: false });
    expect((await t.call('POST', `/api/v1/policy/versions/${v}/approve`, {}, tok['gov-b'])).statusCode).toBe(
      409,
    );
    // Two proposals against the same active version: approving one outdates the other.
    const a = (await propose(`${active.yaml}\n# proposal a\n`, 'gov-a')).json().version;
    const b = (await propose(`${active.yaml}\n# proposal b\n`, 'gov-a')).json().version;
    expect((await t.call('POST', `/api/v1/policy/versions/${a}/approve`, {}, tok['gov-b'])).statusCode).toBe(
      200,
    );
    const outdated = await t.call('POST', `/api/v1/policy/versions/${b}/approve`, {}, tok['gov-b']);
    expect(outdated.statusCode).toBe(409);
    expect(outdated.json().error.details.rule).toBe('policy_base_changed');
    expect((await t.call('GET', '/api/v1/policy')).json().version).toBe(a);
    expect((await t.call('POST', '/api/v1/policy/versions/999/approve', {}, tok['gov-b'])).statusCode).toBe(
      404,
    );
  });

  it('a bad policy is 400 naming line and field, and writes nothing', async () => {
    const bad = defaultPolicyYaml().replace('approvalValidityMonths: 24', 'approvalValidityMonths: lots');
    const res = await t.call('PUT', '/api/v1/policy', { yaml: bad });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.details.field).toBe('tiers.2.approvalValidityMonths');
    expect(err.message).toContain(`line ${lineOf(bad, 'approvalValidityMonths: lots')}`);
    expect((await t.call('GET', '/api/v1/policy')).json().version).toBe(4);
    expect((await t.call('GET', '/api/v1/policy/versions')).json().items[0].version).toBe(5);
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
