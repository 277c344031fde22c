import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModelCompliance, RequirementStatus } from '../../contracts/compliance.ts';
import { shippedCatalogs } from './catalogs.ts';
import { assessable } from './compliance-rules.ts';
import { oscalCatalogHref } from './oscal-catalog.ts';
import { assessmentResults, componentDefinition } from './oscal-results.ts';
import { oscalReferenceErrors, oscalSchemaErrors } from './oscal-schema.ts';

/**
 * Property: whatever the statuses, proofs, gaps and reasons (any text, stray whitespace, empty
 * lists), the assessment results and the component definition validate against NIST's OSCAL 1.1.3
 * schemas and pass the reference checks.
 */
const catalogs = shippedCatalogs();
const ids = new Map(
  catalogs.catalogs.map((c) => [oscalCatalogHref(c.id), new Set(c.requirements.map((r) => r.id))]),
);
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(' padded ', '\n', 'ok', 'Ünïcode ✓'));
const iso = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((n) => new Date(n).toISOString());

const statusOf = (catalogId: string) => {
  const reqs = catalogs.catalog(catalogId)!.requirements.filter(assessable);
  return fc
    .array(
      fc.record({
        index: fc.nat({ max: reqs.length - 1 }),
        state: fc.constantFrom('met', 'partly_met', 'not_met', 'not_applicable' as const),
        reason: text,
        gaps: fc.array(text, { maxLength: 3 }),
        proofs: fc.array(
          fc.record({
            id: text,
            hash: fc.option(fc.constant('ab'.repeat(32))),
            date: fc.option(iso),
            title: text,
          }),
          { maxLength: 3 },
        ),
        kind: fc.constantFrom('evidence', 'checklist', 'card_section', 'record' as const),
      }),
      { minLength: 1, maxLength: 8 },
    )
    .map((rows): RequirementStatus[] => {
      const seen = new Set<number>();
      return rows
        .filter((r) => !seen.has(r.index) && seen.add(r.index))
        .map((r) => {
          const req = reqs[r.index]!;
          return {
            catalog: catalogId,
            requirement: req.id,
            title: req.title,
            reference: req.reference,
            state: r.state,
            notApplicable:
              r.state === 'not_applicable' ? { reason: r.reason, recordedBy: null, recordedAt: null } : null,
            satisfiers:
              r.state === 'not_applicable'
                ? []
                : [{ kind: r.kind, name: 'x', met: r.state !== 'not_met', proofs: r.proofs, gap: null }],
            gaps: r.state === 'met' ? [] : r.gaps,
            appliesFrom: null,
          };
        });
    });
};

describe('OSCAL results (property)', () => {
  it('are valid for any statuses, proofs and texts', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...catalogs.catalogs.map((c) => c.id))
          .chain((id) => fc.tuple(fc.constant(id), statusOf(id))),
        iso,
        fc.constantFrom('1.0.0', 'v 2', 'α'),
        ([catalogId, requirements], at, label) => {
          const s: ModelCompliance = {
            modelKey: 'm-1',
            versionLabel: label,
            tier: 1,
            euAiActClass: 'high_risk',
            policyVersion: 3,
            computedAt: at,
            catalogs: [
              {
                catalog: catalogId,
                title: catalogId,
                counts: { met: 0, partly_met: 0, not_met: 0, not_applicable: 0 },
                requirements,
              },
            ],
          };
          const doc = assessmentResults(s, catalogs.catalogs);
          expect(oscalSchemaErrors('assessment-results', doc)).toEqual([]);
          expect(oscalReferenceErrors(doc, (h) => ids.get(h))).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('states any mapping as a valid component definition', () => {
    const refs = catalogs.catalogs.flatMap((c) =>
      c.requirements.filter(assessable).map((r) => `${c.id}:${r.id}`),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...refs), { minLength: 0, maxLength: 12 }),
        fc.array(fc.constantFrom('human_oversight', 'validation_report'), { maxLength: 2 }),
        (requirements, evidence) => {
          const doc = componentDefinition({
            catalogs: catalogs.catalogs,
            mappings: requirements.map((requirement) => ({ requirement, evidence })),
            policyVersion: 2,
            policyActivatedAt: '2026-09-01T09:00:00.000Z',
          });
          expect(oscalSchemaErrors('component-definition', doc)).toEqual([]);
          expect(oscalReferenceErrors(doc, (h) => ids.get(h))).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });
});
