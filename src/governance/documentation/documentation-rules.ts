import {
  CARD_SECTIONS,
  type CompletenessGap,
  DATASHEET_SECTIONS,
  type DatasheetContent,
  type ModelCardContent,
} from '../../contracts/documentation.ts';
import type { CardListMinimums, DocumentationTier, PolicyDocument } from '../../contracts/policy.ts';

/**
 * Completeness of model cards and datasheets against the policy's documentation rules. Pure: every
 * fact (the version's evidence, the inventory's datasets) is passed in.
 */

/** Card section ids of older policies' `modelCardSections`, mapped onto the card's sections. */
const LEGACY_SECTIONS: Record<string, string> = {
  model_details: 'model_details',
  intended_use: 'intended_use',
  out_of_scope_uses: 'out_of_scope_uses',
  training_data: 'data',
  evaluation_data: 'data',
  metrics: 'evaluation',
  performance: 'evaluation',
  fairness: 'fairness',
  limitations: 'limitations',
  ethical_considerations: 'risks',
  monitoring: 'monitoring',
};

/**
 * The documentation rules of a tier. An untiered model gets the strictest tier's rules (as its
 * checklist does). A policy without a `documentation` section gets rules derived from its tiers'
 * `modelCardSections`: those sections, at least one limitation, evaluation freshness, uploads count.
 */
export function documentationRulesFor(policy: PolicyDocument, tier: number | null): DocumentationTier {
  const tiers = [...policy.tiers].sort((a, b) => a.tier - b.tier);
  const chosen = (tier === null ? tiers[0] : tiers.find((t) => t.tier === tier)) ?? tiers[0];
  const number = chosen?.tier ?? 1;
  const explicit = policy.documentation?.tiers.find((t) => t.tier === number);
  if (explicit) return explicit;
  const legacy = [
    ...new Set(
      (chosen?.modelCardSections ?? []).map((s) => LEGACY_SECTIONS[s]).filter((s) => s !== undefined),
    ),
  ] as DocumentationTier['cardSections'];
  return {
    tier: number,
    cardSections: legacy,
    minSectionChars: 0,
    minEntries: legacy.includes('limitations') ? { limitations: 1 } : {},
    evaluationMustCiteLatestValidation: legacy.includes('evaluation'),
    datasheetSections: [],
    datasheetsForEveryDataset: false,
    uploadedDocumentsCount: true,
  };
}

/** Evidence of the model version as the completeness rules see it. */
export interface VersionEvidenceFact {
  id: string;
  type: string;
  /** SHA-256 of the stored file (null for an external URL). */
  sha256: string | null;
  createdAt: string;
  superseded: boolean;
}

/** What the card rules need besides the card. */
export interface CardFacts {
  /** Every piece of evidence of the version, superseded included. */
  evidence: readonly VersionEvidenceFact[];
  /** Inventory dataset ids and names. */
  datasetIds: ReadonlySet<string>;
  datasetNames: ReadonlySet<string>;
}

/** The result of the rules (the service adds tier, policy version, revision, time). */
export interface CompletenessCore {
  score: number;
  passes: boolean;
  gaps: CompletenessGap[];
  requiredSections: string[];
}

/** Total characters of the trimmed strings in a section, and the number of list entries. */
export function sectionSize(section: unknown): { chars: number; entries: number } {
  let chars = 0;
  let entries = 0;
  const walk = (v: unknown): void => {
    if (typeof v === 'string') chars += v.trim().length;
    else if (Array.isArray(v)) {
      entries += v.length;
      for (const x of v) walk(x);
    } else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(section);
  return { chars, entries };
}

/** The lists whose entries a policy can count, with what counts as an entry. */
const CARD_LISTS: Record<
  keyof CardListMinimums,
  { section: string; label: string; count: (c: ModelCardContent) => number }
> = {
  users: { section: 'intended_use', label: 'intended users', count: (c) => c.intendedUse.users.length },
  out_of_scope_uses: {
    section: 'out_of_scope_uses',
    label: 'out-of-scope uses',
    count: (c) => c.outOfScopeUses.items.length,
  },
  hyperparameters: {
    section: 'model_details',
    label: 'hyper-parameters',
    count: (c) => c.modelDetails.hyperparameters.length,
  },
  training_datasets: { section: 'data', label: 'training datasets', count: (c) => c.data.training.length },
  evaluation_datasets: {
    section: 'data',
    label: 'evaluation datasets',
    count: (c) => c.data.evaluation.length,
  },
  metrics: { section: 'evaluation', label: 'evaluation metrics', count: (c) => c.evaluation.metrics.length },
  assumptions: { section: 'assumptions', label: 'assumptions', count: (c) => c.assumptions.items.length },
  limitations: { section: 'limitations', label: 'limitations', count: (c) => c.limitations.items.length },
  risks: {
    section: 'risks',
    label: 'known risks with a mitigation',
    count: (c) => c.risks.items.filter((r) => r.mitigation.trim().length > 0).length,
  },
  monitoring_metrics: {
    section: 'monitoring',
    label: 'monitored metrics',
    count: (c) => c.monitoring.metrics.length,
  },
};

class Tally {
  total = 0;
  passed = 0;
  readonly gaps: CompletenessGap[] = [];
  check(ok: boolean, gap: () => CompletenessGap): void {
    this.total++;
    if (ok) this.passed++;
    else this.gaps.push(gap());
  }
  result(requiredSections: string[]): CompletenessCore {
    return {
      score: this.total === 0 ? 100 : Math.floor((100 * this.passed) / this.total),
      passes: this.gaps.length === 0,
      gaps: this.gaps,
      requiredSections,
    };
  }
}

/** Checks required sections: each must have content of at least `min` characters. */
function checkSections(
  t: Tally,
  required: readonly string[],
  sections: readonly { id: string; key: string; title: string }[],
  content: Record<string, unknown>,
  min: number,
): void {
  for (const id of required) {
    const meta = sections.find((s) => s.id === id);
    if (!meta) continue;
    const { chars, entries } = sectionSize(content[meta.key]);
    const filled = chars > 0 || entries > 0;
    t.check(filled && chars >= min, () =>
      filled
        ? {
            section: id,
            code: 'section_too_short',
            message: `${meta.title} has ${chars} characters; this tier needs at least ${min}`,
          }
        : {
            section: id,
            code: 'section_missing',
            message: `${meta.title} is required for this tier and is empty`,
          },
    );
  }
}

/** The evidence ids a card cites (evaluation evidence and metric sources), with the SHA-256 it claims. */
export function citedEvidence(content: ModelCardContent): Map<string, Set<string>> {
  const cited = new Map<string, Set<string>>();
  const add = (id: string | null, sha: string | null) => {
    if (!id) return;
    const shas = cited.get(id) ?? new Set<string>();
    if (sha) shas.add(sha);
    cited.set(id, shas);
  };
  for (const e of content.evaluation.evidence) add(e.evidenceId, e.sha256);
  for (const m of content.evaluation.metrics) add(m.evidenceId, m.sha256);
  return cited;
}

/**
 * A card's score and gaps for a tier's rules: required sections (non-empty, long enough), minimum
 * entries of lists, evaluation freshness (cites the newest current validation_report evidence of
 * the version, when there is any), evidence links (exist on the version, same SHA-256) and dataset
 * links (in the inventory). The score is the share of checks that pass, rounded down.
 */
export function cardCompleteness(
  content: ModelCardContent,
  rules: DocumentationTier,
  facts: CardFacts,
): CompletenessCore {
  const t = new Tally();
  checkSections(t, rules.cardSections, CARD_SECTIONS, content, rules.minSectionChars);

  for (const [name, min] of Object.entries(rules.minEntries) as [
    keyof CardListMinimums,
    number | undefined,
  ][]) {
    if (!min) continue;
    const list = CARD_LISTS[name];
    const n = list.count(content);
    t.check(n >= min, () => ({
      section: list.section,
      code: 'too_few_entries',
      message: `${n} ${list.label}; this tier needs at least ${min}`,
    }));
  }

  const cited = citedEvidence(content);
  const byId = new Map(facts.evidence.map((e) => [e.id, e]));
  for (const [id, shas] of cited) {
    const e = byId.get(id);
    t.check(e !== undefined, () => ({
      section: 'evaluation',
      code: 'evidence_link_broken',
      message: `evidence '${id}' is not evidence of this model version`,
    }));
    if (e)
      for (const sha of shas)
        t.check(e.sha256 === sha, () => ({
          section: 'evaluation',
          code: 'evidence_link_broken',
          message: `evidence '${id}' has SHA-256 ${e.sha256 ?? '(no file)'}, the card cites ${sha}`,
        }));
  }

  if (rules.evaluationMustCiteLatestValidation) {
    const current = facts.evidence.filter((e) => e.type === 'validation_report' && !e.superseded);
    if (current.length > 0) {
      const citedCurrent = current.filter((e) => cited.has(e.id));
      const newestCited =
        citedCurrent
          .map((e) => e.createdAt)
          .sort()
          .at(-1) ?? '';
      const newer = current.filter((e) => !cited.has(e.id) && e.createdAt > newestCited);
      t.check(newer.length === 0, () => ({
        section: 'evaluation',
        code: 'evaluation_stale',
        message:
          citedCurrent.length === 0
            ? `the evaluation cites none of the version's current validation evidence (latest: ${newer.map((e) => e.id).join(', ')})`
            : `newer validation evidence is not cited: ${newer.map((e) => e.id).join(', ')}`,
      }));
    }
  }

  for (const [list, refs] of [
    ['training', content.data.training],
    ['evaluation', content.data.evaluation],
  ] as const)
    for (const ref of refs)
      t.check(ref.id !== null ? facts.datasetIds.has(ref.id) : facts.datasetNames.has(ref.name), () => ({
        section: 'data',
        code: 'dataset_link_broken',
        message: `${list} dataset '${ref.id ?? ref.name}' is not in the inventory`,
      }));

  return t.result([...rules.cardSections]);
}

/** A datasheet's score and gaps for a tier's rules: the required sections, non-empty and long enough. */
export function datasheetCompleteness(content: DatasheetContent, rules: DocumentationTier): CompletenessCore {
  const t = new Tally();
  checkSections(t, rules.datasheetSections, DATASHEET_SECTIONS, content, rules.minSectionChars);
  return t.result([...rules.datasheetSections]);
}

/** No document at all: nothing passes. */
export function missingDocument(kind: 'card' | 'datasheet', requiredSections: string[]): CompletenessCore {
  return {
    score: 0,
    passes: false,
    gaps: [
      {
        section: kind,
        code: 'document_missing',
        message: kind === 'card' ? 'the version has no model card' : 'the dataset has no datasheet',
      },
    ],
    requiredSections,
  };
}
