import type {
  CardMetric,
  DatasetRef,
  DatasheetContent,
  EvidenceRef,
  ModelCardContent,
} from '../../contracts/documentation.ts';
import { datasheetContentSchema, modelCardContentSchema } from '../../contracts/documentation.ts';
import type { ExplainEvidence } from '../../contracts/explain.ts';
import type { Dataset } from '../../contracts/inventory.ts';
import { PERFORMANCE_METRICS, type ValidationEvidence } from '../../contracts/validation-evidence.ts';
import { explainabilityText } from './documentation-explainability.ts';

/**
 * Drafts of model cards and datasheets from what Assay already knows. Pure: the service gathers the
 * facts. A draft is a starting point a model owner edits; every generated part says where it came from.
 */

/** Everything a card draft is built from. */
export interface CardDraftFacts {
  model: {
    key: string;
    name: string;
    description: string | null;
    purpose: string | null;
    intendedUse: string | null;
    intendedUsers: string | null;
    outOfScopeUses: string | null;
    type: string;
    vendor: boolean;
    vendorName: string | null;
    genai: boolean;
    decisionImpact: string | null;
    tier: number | null;
    owner: string | null;
  };
  version: {
    label: string;
    artifactUri: string | null;
    artifactSha256: string | null;
    codeRepo: string | null;
    codeCommit: string | null;
    changeSummary: string | null;
  };
  previousVersion: { label: string; changeSummary: string | null } | null;
  training: readonly Dataset[];
  evaluation: readonly Dataset[];
  /** Current validation_report evidence of the version, newest first. */
  validationEvidence: readonly EvidenceRef[];
  /** The newest assay.validation/v1 document among them, if any. */
  validation: { ref: EvidenceRef; document: ValidationEvidence } | null;
  /** The newest assay.explain/v1 document among the version's current test results, if any. */
  explanation?: { ref: EvidenceRef; document: ExplainEvidence } | null;
  /** The version's GenAI system card as Markdown paragraphs (genai.queries.ts), if one is set. */
  genaiSystem?: readonly string[];
  openFindings: readonly { id: string; title: string; severity: string; category: string; state: string }[];
  openConditions: readonly { id: string; text: string; owner: string; dueAt: string }[];
  /** The previous version's latest card, to carry forward what is still true. */
  previousCard: ModelCardContent | null;
}

const GROUP_METRICS = [
  'selection_rate',
  'true_positive_rate',
  'false_positive_rate',
  'accuracy',
  'impact_ratio',
] as const;

const FAIRNESS_SUMMARY = [
  'demographic_parity_difference',
  'demographic_parity_ratio',
  'equalized_odds_difference',
  'equalized_odds_ratio',
  'equal_opportunity_difference',
] as const;

function lines(text: string | null): string[] {
  return (text ?? '')
    .split(/\r?\n|;\s+/)
    .map((s) => s.replace(/^[-*]\s+/, '').trim())
    .filter((s) => s.length > 0)
    .slice(0, 50)
    .map((s) => s.slice(0, 2000));
}

/** Evaluation metrics from an assay.validation/v1 document: overall, per group, and fairness summaries. */
export function metricsFromValidation(
  doc: ValidationEvidence,
  ref: EvidenceRef,
  dataset: string | null,
): CardMetric[] {
  const base = {
    lower: null,
    upper: null,
    confidenceLevel: null,
    dataset,
    evidenceId: ref.evidenceId,
    sha256: ref.sha256,
  };
  const out: CardMetric[] = [];
  const perf = doc.performance as Record<string, unknown> | null;
  if (perf)
    for (const name of PERFORMANCE_METRICS) {
      const v = perf[name];
      if (typeof v === 'number' && Number.isFinite(v)) out.push({ ...base, name, value: v, group: null });
    }
  for (const [attribute, result] of Object.entries(doc.fairness ?? {})) {
    for (const [value, g] of Object.entries(result.groups)) {
      const gm = g as Record<string, unknown>;
      for (const name of GROUP_METRICS) {
        const v = gm[name];
        if (typeof v === 'number' && Number.isFinite(v))
          out.push({ ...base, name, value: v, group: { attribute, value } });
      }
      out.push({ ...base, name: 'count', value: g.count, group: { attribute, value } });
    }
    const r = result as Record<string, unknown>;
    for (const name of FAIRNESS_SUMMARY) {
      const v = r[name];
      if (typeof v === 'number' && Number.isFinite(v))
        out.push({ ...base, name: `${name} (${attribute})`, value: v, group: null });
    }
  }
  return out;
}

function datasetRef(d: Dataset): DatasetRef {
  const parts = [
    d.role,
    d.rowCount !== null ? `${d.rowCount} rows` : null,
    d.containsPii ? `personal data: ${d.piiColumns.join(', ') || 'yes'}` : null,
  ].filter((x) => x !== null);
  return { name: d.name, id: d.id, note: parts.join('; ') };
}

/** A model card draft and the list of sources used. */
export function draftCard(f: CardDraftFacts): { content: ModelCardContent; sources: string[] } {
  const sources: string[] = [`inventory: model ${f.model.key}, version ${f.version.label}`];
  const prev = f.previousCard;
  const evidenceText = f.validation
    ? `Results below come from validation evidence \`${f.validation.ref.evidenceId}\` (assay ${f.validation.document.engine.version}, ${f.validation.document.created_at}).`
    : f.validationEvidence.length
      ? 'Validation evidence is attached to this version; summarise its results here.'
      : '_No validation evidence is attached to this version yet._';
  if (f.validation) sources.push(`validation evidence ${f.validation.ref.evidenceId}`);
  if (f.training.length || f.evaluation.length) sources.push('lineage: training and evaluation datasets');
  if (f.openFindings.length) sources.push(`${f.openFindings.length} open finding(s)`);
  if (f.openConditions.length) sources.push(`${f.openConditions.length} open decision condition(s)`);
  if (prev) sources.push(`the card of version ${f.previousVersion?.label}`);

  const evalDataset = f.evaluation[0]?.name ?? null;
  const metrics = f.validation
    ? metricsFromValidation(f.validation.document, f.validation.ref, evalDataset)
    : [];
  const fairnessAttrs = Object.keys(f.validation?.document.fairness ?? {});
  const fourFifths = Object.entries(f.validation?.document.fairness ?? {})
    .filter(([, r]) => r.four_fifths_violation)
    .map(([a]) => a);

  const risks = [
    ...f.openFindings.map((x) => ({
      risk: `Open ${x.severity} ${x.category} finding: ${x.title}`.slice(0, 2000),
      mitigation: `Remediation tracked as finding ${x.id} (${x.state}).`,
    })),
    ...f.openConditions.map((c) => ({
      risk: `Approval condition not yet met: ${c.text}`.slice(0, 2000),
      mitigation: `Owner ${c.owner}, due ${c.dueAt.slice(0, 10)} (condition ${c.id}).`,
    })),
    ...(prev?.risks.items ?? []).filter(
      (r) => !r.risk.startsWith('Open ') && !r.risk.startsWith('Approval condition'),
    ),
  ];

  const technical = [
    f.version.artifactUri ? `Artifact: \`${f.version.artifactUri}\`` : null,
    f.version.artifactSha256 ? `Artifact SHA-256: \`${f.version.artifactSha256}\`` : null,
    f.version.codeRepo
      ? `Code: ${f.version.codeRepo}${f.version.codeCommit ? ` at \`${f.version.codeCommit}\`` : ''}`
      : null,
    f.model.vendor ? `Vendor model${f.model.vendorName ? ` from ${f.model.vendorName}` : ''}.` : null,
  ].filter((x) => x !== null);

  const content = modelCardContentSchema.parse({
    overview: {
      text: [f.model.description, f.model.purpose ? `**Purpose:** ${f.model.purpose}` : null]
        .filter(Boolean)
        .join('\n\n'),
    },
    intendedUse: {
      text: f.model.intendedUse ?? '',
      users: lines(f.model.intendedUsers),
    },
    outOfScopeUses: { text: f.model.outOfScopeUses ?? '', items: lines(f.model.outOfScopeUses).slice(0, 20) },
    modelDetails: {
      text: [
        `Model type: ${f.model.type.replace(/_/g, ' ')}${f.model.genai ? ' (generative AI)' : ''}.`,
        ...technical,
        ...(f.genaiSystem ?? []),
      ].join('\n\n'),
      architecture: prev?.modelDetails.architecture ?? null,
      trainingProcedure: prev?.modelDetails.trainingProcedure ?? null,
      hyperparameters: prev?.modelDetails.hyperparameters ?? [],
    },
    data: {
      text: prev?.data.text ?? '',
      training: f.training.map(datasetRef),
      evaluation: f.evaluation.map(datasetRef),
    },
    evaluation: { text: evidenceText, evidence: [...f.validationEvidence], metrics },
    fairness: {
      text: fairnessAttrs.length
        ? `Group metrics were computed for: ${fairnessAttrs.join(', ')}.${
            fourFifths.length
              ? ` The four-fifths rule is violated for: ${fourFifths.join(', ')}.`
              : ' No four-fifths violation was found.'
          }`
        : (prev?.fairness.text ?? ''),
    },
    explainability: {
      text: f.explanation
        ? explainabilityText(f.explanation.document, f.explanation.ref)
        : (prev?.explainability.text ?? ''),
    },
    humanOversight: prev?.humanOversight ?? {
      text: f.model.decisionImpact ? `Decision impact: ${f.model.decisionImpact}.` : '',
      reviewers: null,
      reviewedDecisions: null,
      overrideProcess: null,
    },
    assumptions: prev?.assumptions ?? { text: '', items: [] },
    limitations: prev?.limitations ?? { text: '', items: [] },
    risks: { text: prev?.risks.text ?? '', items: risks.slice(0, 200) },
    monitoring: prev?.monitoring ?? { text: '', metrics: [], frequency: null },
    changeLog: {
      text: f.version.changeSummary ?? '',
      previousVersion: f.previousVersion?.label ?? null,
      items: lines(f.version.changeSummary).slice(0, 20),
    },
  });
  return { content, sources };
}

/** A datasheet draft from the inventory's dataset record and its lineage. */
export function draftDatasheet(
  d: Dataset,
  parents: readonly Dataset[],
  usedBy: readonly { modelKey: string; version: string; usage: string }[],
): { content: DatasheetContent; sources: string[] } {
  const sources = [`inventory: dataset ${d.name}`];
  if (parents.length) sources.push('lineage: parent datasets');
  if (usedBy.length) sources.push('lineage: model versions using it');
  const content = datasheetContentSchema.parse({
    motivation: { text: '' },
    composition: {
      text: `Role in the inventory: ${d.role}.${d.locationUri ? ` Stored at \`${d.locationUri}\`.` : ''}${
        d.sha256 ? ` Content SHA-256 \`${d.sha256}\`.` : ''
      }`,
      rowCount: d.rowCount,
      columns: (d.schema ?? []).map((c) => `${c.name}${c.type ? ` (${c.type})` : ''}`.slice(0, 2000)),
    },
    collection: { text: '' },
    preprocessing: {
      text: parents.length ? `Derived from: ${parents.map((p) => `\`${p.name}\``).join(', ')}.` : '',
    },
    uses: {
      text: usedBy.length
        ? `Used by: ${usedBy.map((u) => `${u.modelKey} ${u.version} (${u.usage})`).join(', ')}.`
        : '',
    },
    distribution: { text: '' },
    maintenance: { text: d.owner ? `Owner: ${d.owner}.` : '' },
    piiAndRetention: {
      text: d.containsPii ? 'The dataset contains personal data.' : '',
      containsPii: d.containsPii,
      piiColumns: d.piiColumns,
      retention: d.retentionNote,
    },
  });
  return { content, sources };
}
