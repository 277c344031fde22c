import { describe, expect, it } from 'vitest';
import {
  datasheetContentSchema,
  type ModelCard,
  type ModelCardContentInput,
  modelCardContentSchema,
} from '../../contracts/documentation.ts';
import type { DocumentationTier } from '../../contracts/policy.ts';
import { defaultPolicyYaml, parsePolicyYaml } from '../policy/policy-document.ts';
import { checklistStatus } from '../reviews/review-rules.ts';
import { cardToHtml, cardToMarkdown } from './documentation-render.ts';
import {
  type CardFacts,
  cardCompleteness,
  datasheetCompleteness,
  documentationRulesFor,
} from './documentation-rules.ts';

const policy = parsePolicyYaml(defaultPolicyYaml());
const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

const rules: DocumentationTier = {
  tier: 1,
  cardSections: ['overview', 'limitations', 'evaluation'],
  minSectionChars: 10,
  minEntries: { limitations: 2, risks: 1 },
  evaluationMustCiteLatestValidation: true,
  datasheetSections: ['motivation', 'pii_and_retention'],
  datasheetsForEveryDataset: true,
  uploadedDocumentsCount: false,
};

const facts: CardFacts = {
  evidence: [
    {
      id: 'ev-old',
      type: 'validation_report',
      sha256: SHA_A,
      createdAt: '2026-01-01T00:00:00Z',
      superseded: false,
    },
    {
      id: 'ev-new',
      type: 'validation_report',
      sha256: SHA_B,
      createdAt: '2026-02-01T00:00:00Z',
      superseded: false,
    },
  ],
  datasetIds: new Set(['ds-1']),
  datasetNames: new Set(['train']),
};

function card(input: ModelCardContentInput) {
  return modelCardContentSchema.parse(input);
}

const complete: ModelCardContentInput = {
  overview: { text: 'Scores applications for default risk.' },
  limitations: { items: ['Not for SMEs', 'Not validated before 2020'] },
  risks: { items: [{ risk: 'Drift', mitigation: 'Monthly PSI' }] },
  evaluation: {
    text: 'From the latest validation.',
    evidence: [{ evidenceId: 'ev-new', sha256: SHA_B }],
    metrics: [{ name: 'roc_auc', value: 0.81, evidenceId: 'ev-new', sha256: SHA_B }],
  },
  data: { training: [{ name: 'train', id: 'ds-1' }], evaluation: [{ name: 'train' }] },
};

describe('documentation rules', () => {
  it('an untiered model gets the strictest tier; the default policy has rules for every tier', () => {
    expect(documentationRulesFor(policy, null).tier).toBe(1);
    for (const t of policy.tiers) expect(documentationRulesFor(policy, t.tier).tier).toBe(t.tier);
    expect(documentationRulesFor(policy, 1).cardSections).toContain('human_oversight');
  });

  it("an older policy without documentation maps its tiers' modelCardSections", () => {
    const legacy = {
      ...policy,
      documentation: undefined,
      tiers: policy.tiers.map((t) => ({
        ...t,
        modelCardSections: ['model_details', 'training_data', 'metrics', 'limitations'],
      })),
    };
    const r = documentationRulesFor(legacy, 2);
    expect(r.cardSections).toEqual(['model_details', 'data', 'evaluation', 'limitations']);
    expect(r.minEntries).toEqual({ limitations: 1 });
    expect(r.uploadedDocumentsCount).toBe(true);
  });

  it('a complete card passes with score 100', () => {
    const r = cardCompleteness(card(complete), rules, facts);
    expect(r.gaps).toEqual([]);
    expect(r).toMatchObject({ passes: true, score: 100 });
  });

  it('names missing and short sections and too few entries; risks without a mitigation do not count', () => {
    const r = cardCompleteness(
      card({
        ...complete,
        overview: { text: 'Short' },
        limitations: { items: ['one'] },
        risks: { items: [{ risk: 'Drift', mitigation: '' }] },
        evaluation: undefined,
      }),
      rules,
      facts,
    );
    expect(r.passes).toBe(false);
    expect(r.gaps.map((g) => [g.section, g.code])).toEqual([
      ['overview', 'section_too_short'],
      ['limitations', 'section_too_short'],
      ['evaluation', 'section_missing'],
      ['limitations', 'too_few_entries'],
      ['risks', 'too_few_entries'],
      ['evaluation', 'evaluation_stale'],
    ]);
    expect(r.score).toBeLessThan(100);
    expect(r.score).toBeGreaterThan(0);
  });

  it('is stale when newer current validation evidence is not cited, and not when the newer one is superseded', () => {
    const old = card({
      ...complete,
      evaluation: { text: 'Old results here.', evidence: [{ evidenceId: 'ev-old', sha256: SHA_A }] },
    });
    const stale = cardCompleteness(old, rules, facts);
    expect(stale.gaps).toEqual([
      expect.objectContaining({ code: 'evaluation_stale', message: expect.stringContaining('ev-new') }),
    ]);
    const superseded = {
      ...facts,
      evidence: facts.evidence.map((e) => (e.id === 'ev-new' ? { ...e, superseded: true } : e)),
    };
    expect(cardCompleteness(old, rules, superseded).passes).toBe(true);
    // No validation evidence at all: nothing to be stale against.
    expect(
      cardCompleteness(card({ ...complete, evaluation: { text: 'Developer testing only.' } }), rules, {
        ...facts,
        evidence: [],
      }).passes,
    ).toBe(true);
  });

  it('finds broken evidence and dataset links', () => {
    const r = cardCompleteness(
      card({
        ...complete,
        evaluation: {
          text: 'From the latest validation.',
          evidence: [{ evidenceId: 'ev-new', sha256: SHA_A }],
          metrics: [{ name: 'auc', value: 0.8, evidenceId: 'ev-gone' }],
        },
        data: { training: [{ name: 'x', id: 'ds-404' }], evaluation: [{ name: 'nope' }] },
      }),
      rules,
      facts,
    );
    expect(r.gaps.map((g) => g.code).sort()).toEqual([
      'dataset_link_broken',
      'dataset_link_broken',
      'evidence_link_broken',
      'evidence_link_broken',
    ]);
    expect(r.gaps.find((g) => g.message.includes('ev-gone'))?.message).toContain(
      'not evidence of this model version',
    );
  });

  it('datasheets need their required sections', () => {
    const empty = datasheetCompleteness(datasheetContentSchema.parse({}), rules);
    expect(empty.gaps.map((g) => g.section)).toEqual(['motivation', 'pii_and_retention']);
    expect(empty.score).toBe(0);
    const full = datasheetCompleteness(
      datasheetContentSchema.parse({
        motivation: { text: 'Credit decisions need it.' },
        piiAndRetention: { containsPii: true, piiColumns: ['age'], retention: '7 years after closure' },
      }),
      rules,
    );
    expect(full).toMatchObject({ passes: true, score: 100 });
  });
});

describe('the checklist counts structured documents only when they pass', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  const upload = { id: 'file-1', type: 'model_card' as const, validUntil: null, superseded: false };

  it('a passing card satisfies model_card; a failing one does not and says why', () => {
    const ok = checklistStatus(['model_card'], [], now, {
      model_card: { passing: ['card-1'], gaps: [], uploadsCount: false },
    });
    expect(ok[0]).toMatchObject({ status: 'satisfied', documents: ['card-1'], satisfiedBy: [] });
    const bad = checklistStatus(['model_card'], [], now, {
      model_card: { passing: [], gaps: ['limitations: 0 limitations'], uploadsCount: false },
    });
    expect(bad[0]).toMatchObject({ status: 'missing', documentGaps: ['limitations: 0 limitations'] });
  });

  it('uploaded files count only when the policy lets them', () => {
    const strict = checklistStatus(['model_card'], [upload], now, {
      model_card: { passing: [], gaps: ['no card'], uploadsCount: false },
    });
    expect(strict[0]?.status).toBe('missing');
    expect(strict[0]?.documentGaps?.[1]).toContain('file-1');
    const lenient = checklistStatus(['model_card'], [upload], now, {
      model_card: { passing: [], gaps: ['no card'], uploadsCount: true },
    });
    expect(lenient[0]).toMatchObject({ status: 'satisfied', satisfiedBy: ['file-1'] });
    // Without a standing (no documentation module) the checklist is as before.
    expect(checklistStatus(['model_card'], [upload], now)[0]).toEqual({
      evidenceType: 'model_card',
      status: 'satisfied',
      satisfiedBy: ['file-1'],
      expiredEvidence: [],
    });
  });
});

describe('exports escape everything', () => {
  const doc: ModelCard = {
    schema: 'assay.model-card/v1',
    id: 'c1',
    modelKey: 'credit-pd',
    modelName: 'Credit <PD>',
    versionLabel: '1.0',
    revision: 2,
    status: 'published',
    note: null,
    content: card({
      ...complete,
      overview: {
        text: 'Hello <script>alert(1)</script> [x](javascript:alert(2)) ![img](https://evil.example/p.png) **bold**',
      },
      limitations: { items: ['<img src=x onerror=alert(3)>', 'pipe | in text'] },
    }),
    sha256: SHA_A,
    createdBy: 'dev',
    createdAt: '2026-03-01T00:00:00.000Z',
  };

  it('HTML has no script, no javascript: link, no image fetch, and keeps Markdown formatting', () => {
    const html = cardToHtml(doc);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('Credit &lt;PD&gt;');
    expect(html).toContain("default-src 'none'");
  });

  it('Markdown has every section title and escapes table pipes', () => {
    const md = cardToMarkdown(doc);
    expect(md).toContain('## Known risks and mitigations');
    expect(md).toContain('| Drift | Monthly PSI |');
    expect(md).toContain('- pipe \\| in text');
    expect(md).toContain('| roc_auc | overall | 0.81 |');
  });
});
