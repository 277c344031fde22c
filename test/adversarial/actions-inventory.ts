import fc from 'fast-check';
import { type ActionSpec, action, actorFrom, MAKERS, STEWARDS } from './action.ts';
import { ACTORS, act, ENVIRONMENTS, MODEL_KEYS, MUTABLE_USERS, ok, pick, VERSION_LABELS } from './world.ts';

const ROLES = ['admin', 'governance', 'owner', 'developer', 'validator', 'approver', 'auditor'] as const;
const STATUSES = ['proposed', 'development', 'validation', 'approved', 'production', 'retired'] as const;

/** Policy variants a governance actor may install: each changes what some tier demands. */
const POLICY_VARIANTS = [
  'default',
  'easier-tier-3',
  'short-tier-4-approvals',
  'tier-4-needs-governance',
] as const;

/** Inventory, people and time: models, versions, relations, roles, lifecycle, deployments, policy, clock. */
export const INVENTORY_ACTIONS: ActionSpec<never>[] = [
  action({
    name: 'registerModel',
    weight: 3,
    params: fc.record({
      actor: actorFrom([...STEWARDS, 'olga', 'oscar']),
      owner: fc.constantFrom(...MAKERS, ...ACTORS),
      developers: fc.subarray([...MAKERS, 'vera', 'amy', 'gina'], { maxLength: 2 }),
    }),
    async run(w, p) {
      const key = MODEL_KEYS[w.models.length];
      if (!key) return;
      const res = await act(w, p.actor, 'POST', '/api/v1/models', {
        key,
        name: `Model ${key}`,
        type: 'classification',
        owner: p.owner,
        developers: p.developers.filter((d) => d !== p.owner),
      });
      if (ok(res)) {
        w.models.push(key);
        w.versions[key] = [];
      }
    },
  }),
  action({
    name: 'registerVersion',
    weight: 3,
    params: fc.record({
      actor: actorFrom([...STEWARDS, ...MAKERS]),
      model: fc.nat({ max: 7 }),
      materialChange: fc.boolean(),
    }),
    async run(w, p) {
      const key = pick(w.models, p.model);
      if (!key) return;
      const label = VERSION_LABELS[w.versions[key]!.length];
      if (!label) return;
      const res = await act(w, p.actor, 'POST', `/api/v1/models/${key}/versions`, {
        label,
        artifactSha256: `${key}${label}`.padEnd(64, 'a').replace(/[^0-9a-f]/g, 'b'),
        materialChange: p.materialChange,
      });
      const created = ok(res);
      if (created) w.versions[key]!.push(label);
      // A material change opens a change review (by system) with the version.
      if (created && p.materialChange) {
        const reviews = ok<{ items: { id: string }[] }>(
          await act(w, 'admin', 'GET', `/api/v1/reviews?modelKey=${key}&limit=500`),
        );
        for (const r of reviews?.items ?? []) if (!w.reviews.includes(r.id)) w.reviews.push(r.id);
      }
    },
  }),
  action({
    name: 'setRelations',
    weight: 3,
    params: fc.record({
      actor: actorFrom(STEWARDS),
      model: fc.nat({ max: 7 }),
      owner: fc.constantFrom(...MAKERS, ...MUTABLE_USERS),
      developers: fc.subarray([...MUTABLE_USERS], { maxLength: 3 }),
      validators: fc.subarray([...MUTABLE_USERS], { maxLength: 2 }),
    }),
    async run(w, p) {
      const key = pick(w.models, p.model);
      if (!key) return;
      await act(w, p.actor, 'PUT', `/api/v1/models/${key}/relations`, {
        owner: p.owner,
        developers: p.developers.filter((d) => d !== p.owner),
        validators: p.validators,
      });
    },
  }),
  action({
    name: 'changeRole',
    weight: 2,
    params: fc.record({
      actor: actorFrom(['admin']),
      user: fc.constantFrom(...MUTABLE_USERS),
      role: fc.constantFrom(...ROLES),
    }),
    async run(w, p) {
      await act(w, p.actor, 'PATCH', `/api/v1/users/${w.userIds[p.user]}`, { role: p.role });
    },
  }),
  action({
    name: 'transitionModel',
    weight: 2,
    params: fc.record({
      actor: actorFrom([...STEWARDS, ...MAKERS]),
      model: fc.nat({ max: 7 }),
      to: fc.constantFrom(...STATUSES),
    }),
    async run(w, p) {
      const key = pick(w.models, p.model);
      if (!key) return;
      await act(w, p.actor, 'POST', `/api/v1/models/${key}/transition`, { to: p.to, reason: 'adversary' });
    },
  }),
  action({
    name: 'addDeployment',
    weight: 2,
    params: fc.record({
      actor: actorFrom([...STEWARDS, ...MAKERS]),
      model: fc.nat({ max: 7 }),
      version: fc.nat({ max: 7 }),
      environment: fc.constantFrom(...ENVIRONMENTS),
    }),
    async run(w, p) {
      const key = pick(w.models, p.model);
      const label = key && pick(w.versions[key]!, p.version);
      if (!key || !label) return;
      const res = await act(w, p.actor, 'POST', `/api/v1/models/${key}/deployments`, {
        version: label,
        environment: p.environment,
      });
      const made = ok<{ id: string }>(res);
      if (made) w.deployments.push(made.id);
    },
  }),
  action({
    name: 'endDeployment',
    weight: 1,
    params: fc.record({ actor: actorFrom([...STEWARDS, ...MAKERS]), deployment: fc.nat({ max: 7 }) }),
    async run(w, p) {
      const id = pick(w.deployments, p.deployment);
      if (id) await act(w, p.actor, 'POST', `/api/v1/deployments/${id}/end`, {});
    },
  }),
  action({
    name: 'supersedeVersion',
    weight: 1,
    params: fc.record({
      actor: actorFrom([...STEWARDS, ...MAKERS]),
      model: fc.nat({ max: 7 }),
      version: fc.nat({ max: 7 }),
      by: fc.nat({ max: 7 }),
    }),
    async run(w, p) {
      const key = pick(w.models, p.model);
      if (!key) return;
      const label = pick(w.versions[key]!, p.version);
      const by = pick(w.versions[key]!, p.by);
      if (!label || !by) return;
      await act(w, p.actor, 'POST', `/api/v1/models/${key}/versions/${label}/supersede`, { by });
    },
  }),
  action({
    name: 'replacePolicy',
    weight: 1,
    params: fc.record({
      actor: actorFrom(STEWARDS),
      variant: fc.constantFrom(...POLICY_VARIANTS),
      /** Who approves the proposal right away (a second steward, the proposer, anyone), or nobody yet. */
      approver: fc.option(actorFrom(STEWARDS), { freq: 4, nil: null }),
    }),
    /** A policy change is a proposal (202) that a second person approves; either step may be refused. */
    async run(w, p) {
      const yaml = policyVariant(w.defaultPolicyYaml, p.variant);
      // A variant whose text no longer matches the default would silently test nothing.
      if (p.variant !== 'default' && yaml === w.defaultPolicyYaml)
        throw new Error(`policy variant ${p.variant} no longer applies to the default policy`);
      const res = await act(w, p.actor, 'PUT', '/api/v1/policy', { yaml });
      const made = res.statusCode === 202 ? ok<{ version: number }>(res) : null;
      if (!made) return;
      if (!w.policyVersions.includes(made.version)) w.policyVersions.push(made.version);
      if (p.approver) await act(w, p.approver, 'POST', `/api/v1/policy/versions/${made.version}/approve`, {});
    },
  }),
  action({
    name: 'decidePolicy',
    weight: 1,
    params: fc.record({
      actor: actorFrom(STEWARDS),
      version: fc.nat({ max: 7 }),
      verdict: fc.constantFrom('approve', 'approve', 'reject'),
    }),
    async run(w, p) {
      const v = pick(w.policyVersions, p.version);
      if (v !== undefined) await act(w, p.actor, 'POST', `/api/v1/policy/versions/${v}/${p.verdict}`, {});
    },
  }),
  action({
    name: 'advanceClock',
    weight: 2,
    params: fc.record({ days: fc.oneof(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 15, max: 400 })) }),
    async run(w, p) {
      w.t.clock.advanceDays(p.days);
    },
  }),
  action({
    name: 'runScheduler',
    weight: 1,
    params: fc.record({ actor: actorFrom(['admin']) }),
    async run(w, p) {
      await act(w, p.actor, 'POST', '/api/v1/scheduler/run', {});
    },
  }),
] as ActionSpec<never>[];

function policyVariant(yaml: string, variant: (typeof POLICY_VARIANTS)[number]): string {
  switch (variant) {
    case 'default':
      return yaml;
    case 'easier-tier-3':
      return yaml.replace('{ tier: 3, minScore: 18 }', '{ tier: 3, minScore: 30 }');
    case 'short-tier-4-approvals':
      return yaml.replace('approvalValidityMonths: 36', 'approvalValidityMonths: 3');
    case 'tier-4-needs-governance':
      return yaml.replace(
        'Developer self-assessment with a model card and test results; one approver signs.\n    validationDepth: self_assessment\n    requiredEvidence:\n      validation: [model_card]\n      production: [model_card, test_results]\n    signOff:\n      - { role: approver, count: 1 }',
        'Developer self-assessment with a model card and test results; one approver signs.\n    validationDepth: self_assessment\n    requiredEvidence:\n      validation: [model_card]\n      production: [model_card, test_results]\n    signOff:\n      - { role: approver, count: 1 }\n      - { role: governance, count: 1 }',
      );
  }
}
