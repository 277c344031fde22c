import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyYaml, parsePolicyYaml } from '../policy/policy-document.ts';
import { shippedCatalogs } from './catalogs.ts';
import { assessable } from './compliance-rules.ts';
import { complianceMappingIssues } from './policy-mapping-check.ts';

/**
 * Property: mappings of assessable requirements pass; any other reference (an id the catalog does
 * not have, a catalog that does not exist, a structural entry) is reported once, at its index.
 */
const catalogs = shippedCatalogs();
const good = catalogs.catalogs.flatMap((c) =>
  c.requirements.filter(assessable).map((r) => `${c.id}:${r.id}`),
);
const structural = catalogs.catalogs.flatMap((c) =>
  c.requirements.filter((r) => !assessable(r)).map((r) => `${c.id}:${r.id}`),
);
const base = parsePolicyYaml(defaultPolicyYaml());

describe('compliance mapping check (property)', () => {
  it('passes the shipped default policy', () => {
    expect(complianceMappingIssues(base)).toEqual([]);
  });

  it('reports each bad reference once, at its index, and nothing else', () => {
    const bad = fc.oneof(
      fc.constantFrom(...structural),
      fc.stringMatching(/^[A-Za-z][A-Za-z0-9._-]{0,12}$/).map((id) => `eu-ai-act:zz-${id}`),
      fc.constantFrom('iso-27001:A.5.1', 'nist-csf:ID.AM-1'),
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(...good).map((r) => ({ r, ok: true })),
            bad.map((r) => ({ r, ok: false })),
          ),
          {
            maxLength: 15,
          },
        ),
        (entries) => {
          const doc = {
            ...base,
            compliance: {
              euAiActRoles: ['provider' as const],
              catalogs: [],
              mappings: entries.map((e) => ({ requirement: e.r })),
            },
          };
          const issues = complianceMappingIssues(doc);
          const expected = entries.flatMap((e, i) => (e.ok ? [] : [i]));
          expect(issues.map((x) => x.path[2])).toEqual(expected);
          for (const x of issues) expect(x.message).toContain(entries[x.path[2] as number]!.r);
        },
      ),
      { numRuns: 100 },
    );
  });
});
