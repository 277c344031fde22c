import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deploymentRefusal, supersedeCycle } from './version-rules.ts';

/** Follows successors from `start`; true when the chain comes back to a label it passed. */
function hasCycle(successorOf: ReadonlyMap<string, string | null>): boolean {
  for (const start of successorOf.keys()) {
    const seen = new Set<string>();
    let at: string | null | undefined = start;
    while (at) {
      if (seen.has(at)) return true;
      seen.add(at);
      at = successorOf.get(at);
    }
  }
  return false;
}

describe('version rules', () => {
  it('no sequence of supersede steps the rule lets through forms a cycle', () => {
    const labels = ['a', 'b', 'c', 'd', 'e'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...labels), fc.constantFrom(...labels)), { maxLength: 30 }),
        (steps) => {
          const successorOf = new Map<string, string | null>(labels.map((l) => [l, null]));
          for (const [label, by] of steps) {
            const cycle = supersedeCycle(successorOf, label, by);
            const next = new Map(successorOf).set(label, by);
            // Refused exactly when the step would close a cycle.
            expect(cycle !== null).toBe(hasCycle(next));
            if (cycle) {
              expect(cycle[0]).toBe(label);
              expect(cycle.at(-1)).toBe(label);
            } else successorOf.set(label, by);
            expect(hasCycle(successorOf)).toBe(false);
          }
        },
      ),
    );
  });

  it('refuses deployments of retired models, superseded versions and duplicates', () => {
    const base = {
      modelStatus: 'production',
      versionStatus: 'active',
      versionId: 'v1',
      environment: 'production',
      endpoint: 'https://a',
      active: [{ id: 'd1', versionId: 'v1', environment: 'production', endpoint: 'https://a' }],
    };
    expect(deploymentRefusal(base)?.rule).toBe('deployment_duplicate');
    expect(deploymentRefusal({ ...base, endpoint: 'https://b' })).toBeNull();
    expect(deploymentRefusal({ ...base, environment: 'staging' })).toBeNull();
    expect(deploymentRefusal({ ...base, versionStatus: 'superseded', active: [] })?.rule).toBe(
      'deployment_version_superseded',
    );
    expect(deploymentRefusal({ ...base, modelStatus: 'retired', active: [] })?.rule).toBe(
      'deployment_model_retired',
    );
  });
});
