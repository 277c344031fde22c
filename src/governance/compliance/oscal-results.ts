import type { CatalogFile, ModelCompliance, RequirementStatus } from '../../contracts/compliance.ts';
import type { ComplianceMapping } from '../../contracts/policy.ts';
import { oscalCatalogHref } from './oscal-catalog.ts';
import {
  ASSAY_NS,
  assayProp,
  metadata,
  type OscalProp,
  oscalString,
  oscalUuid,
  resource,
} from './oscal-common.ts';

/**
 * Assay's compliance mapping as an OSCAL 1.1.3 component definition, and one model version's
 * computed status as OSCAL 1.1.3 assessment results (pure).
 */

type Node = Record<string, unknown>;

/** What a mapping entry says satisfies a requirement, in words. */
export function mappingText(m: ComplianceMapping): string {
  const parts: string[] = [];
  if (m.evidence?.length) parts.push(`current, unexpired evidence of type ${m.evidence.join(', ')}`);
  if (m.checklist?.length) parts.push(`the review checklist item(s) ${m.checklist.join(', ')} satisfied`);
  if (m.cardSections?.length)
    parts.push(`the published model card's section(s) ${m.cardSections.join(', ')}`);
  if (m.datasheetSections?.length)
    parts.push(`the section(s) ${m.datasheetSections.join(', ')} of every dataset's published datasheet`);
  if (m.records?.length) parts.push(`Assay records: ${m.records.join(', ')}`);
  if (m.controls?.length) parts.push(`supported by Assay controls ${m.controls.join(', ')}`);
  return parts.length ? `Met when Assay holds ${parts.join('; ')}.` : 'Nothing is mapped.';
}

function mappingProps(m: ComplianceMapping): OscalProp[] {
  return [
    ...(m.evidence ?? []).map((x) => assayProp('evidence-type', x)),
    ...(m.checklist ?? []).map((x) => assayProp('checklist-item', x)),
    ...(m.cardSections ?? []).map((x) => assayProp('model-card-section', x)),
    ...(m.datasheetSections ?? []).map((x) => assayProp('datasheet-section', x)),
    ...(m.records ?? []).map((x) => assayProp('record', x)),
    ...(m.controls ?? []).map((x) => assayProp('assay-control', x)),
  ];
}

/** The policy's mapping as a component definition: Assay (software) implementing each mapped requirement. */
export function componentDefinition(o: {
  catalogs: readonly CatalogFile[];
  mappings: readonly ComplianceMapping[];
  policyVersion: number;
  policyActivatedAt: string;
}): { 'component-definition': Record<string, unknown> } {
  const policyUuid = oscalUuid('policy', String(o.policyVersion));
  const implementations = o.catalogs.flatMap((c) => {
    const ms = o.mappings.filter((m) => m.requirement.startsWith(`${c.id}:`));
    if (!ms.length) return [];
    return [
      {
        uuid: oscalUuid('component-implementation', String(o.policyVersion), c.id),
        source: oscalCatalogHref(c.id),
        description: `How Assay's records satisfy requirements of ${oscalString(c.title)}, as the policy (version ${o.policyVersion}) maps them.`,
        'implemented-requirements': ms.map((m) => {
          const id = m.requirement.slice(c.id.length + 1);
          const p = mappingProps(m);
          return {
            uuid: oscalUuid('implemented-requirement', String(o.policyVersion), m.requirement),
            'control-id': id,
            description: mappingText(m),
            ...(p.length ? { props: p } : {}),
            links: [{ href: `#${policyUuid}`, rel: 'reference' }],
          };
        }),
      },
    ];
  });
  return {
    'component-definition': {
      uuid: oscalUuid('component-definition', String(o.policyVersion)),
      metadata: metadata({
        title: `Assay compliance mapping (policy version ${o.policyVersion})`,
        lastModified: o.policyActivatedAt,
        version: `policy-${o.policyVersion}`,
      }),
      components: [
        {
          uuid: oscalUuid('component', 'assay'),
          type: 'software',
          title: 'Assay',
          description:
            'Assay, the AI model risk management platform: inventory, tiering, evidence, model cards and datasheets, reviews, decisions and monitoring. A requirement is met for a model version when Assay holds what the mapping names; the status is computed, never typed.',
          purpose: 'Records and computes the evidence of AI model risk management and compliance.',
          ...(implementations.length ? { 'control-implementations': implementations } : {}),
        },
      ],
      'back-matter': {
        resources: [
          resource(policyUuid, `Assay policy version ${o.policyVersion} (compliance section)`, {
            description: 'The policy whose compliance.mappings this component definition states.',
            hrefs: ['/api/v1/policy'],
            props: [{ name: 'type', value: 'policy' }],
          }),
        ],
      },
    },
  };
}

function proofEvidence(r: RequirementStatus, modelKey: string): Node[] {
  return r.satisfiers.flatMap((s) =>
    s.proofs.map((p) => ({
      ...(s.kind === 'evidence' ? { href: `/api/v1/evidence/${encodeURIComponent(p.id)}` } : {}),
      description: oscalString(`${s.kind} '${s.name}' of ${modelKey}: ${p.title} (id ${p.id})`),
      props: [
        assayProp('proof-id', p.id),
        ...(p.hash ? [assayProp('sha256', p.hash)] : []),
        ...(p.date ? [assayProp('recorded', p.date)] : []),
      ],
    })),
  );
}

function resultOf(s: ModelCompliance, c: ModelCompliance['catalogs'][number], catalogTitle: string): Node {
  const key = `${s.modelKey}@${s.versionLabel}`;
  const observations: Node[] = [];
  const findings: Node[] = [];
  for (const r of c.requirements) {
    const obsUuid = oscalUuid('observation', key, s.computedAt, c.catalog, r.requirement);
    if (r.state === 'not_applicable') {
      observations.push({
        uuid: obsUuid,
        title: `${r.requirement} does not apply`,
        description: oscalString(
          `Not applicable to ${key}: ${r.notApplicable?.reason ?? ''}${r.notApplicable?.recordedBy ? ` (recorded by ${r.notApplicable.recordedBy} at ${r.notApplicable.recordedAt})` : ' (from the classification and the policy)'}`,
        ),
        props: [assayProp('compliance-state', 'not_applicable')],
        methods: ['EXAMINE'],
        types: ['control-objective'],
        collected: s.computedAt,
      });
      continue;
    }
    const evidence = proofEvidence(r, key);
    const satisfied = r.satisfiers.filter((x) => x.met).map((x) => `${x.kind} '${x.name}'`);
    if (r.satisfiers.length > 0)
      observations.push({
        uuid: obsUuid,
        title: `What Assay holds for ${r.requirement}`,
        description: oscalString(
          satisfied.length
            ? `Present: ${satisfied.join(', ')}.`
            : 'None of what the mapping names is present.',
        ),
        methods: ['EXAMINE'],
        types: ['control-objective'],
        ...(evidence.length ? { 'relevant-evidence': evidence } : {}),
        collected: s.computedAt,
      });
    findings.push({
      uuid: oscalUuid('finding', key, s.computedAt, c.catalog, r.requirement),
      title: oscalString(`${r.reference}: ${r.title}`),
      description: oscalString(
        r.state === 'met'
          ? `Met for ${key}.`
          : `${r.state === 'partly_met' ? 'Partly met' : 'Not met'} for ${key}. Gaps: ${r.gaps.join('; ')}`,
      ),
      props: [
        assayProp('compliance-state', r.state),
        ...(r.appliesFrom ? [assayProp('applies-from', r.appliesFrom)] : []),
      ],
      target: {
        type: 'objective-id',
        'target-id': r.requirement,
        status: {
          state: r.state === 'met' ? 'satisfied' : 'not-satisfied',
          reason: r.state === 'met' ? 'pass' : 'fail',
        },
      },
      ...(r.satisfiers.length > 0 ? { 'related-observations': [{ 'observation-uuid': obsUuid }] } : {}),
      ...(r.gaps.length ? { remarks: r.gaps.map((g) => `- ${g}`).join('\n') } : {}),
    });
  }
  const excluded = c.requirements.filter((r) => r.state === 'not_applicable');
  return {
    uuid: oscalUuid('result', key, s.computedAt, c.catalog),
    title: oscalString(`${catalogTitle}: ${key}`),
    description: oscalString(
      `Status of ${key} against ${c.catalog}, computed by Assay from its records under policy version ${s.policyVersion}: ${c.counts.met ?? 0} met, ${c.counts.partly_met ?? 0} partly met, ${c.counts.not_met ?? 0} not met, ${c.counts.not_applicable ?? 0} not applicable.`,
    ),
    start: s.computedAt,
    end: s.computedAt,
    props: [
      { name: 'catalog-href', ns: ASSAY_NS, value: oscalCatalogHref(c.catalog) },
      assayProp('catalog-id', c.catalog),
    ],
    'reviewed-controls': {
      'control-selections': [
        {
          'include-all': {},
          ...(excluded.length
            ? { 'exclude-controls': excluded.map((r) => ({ 'control-id': r.requirement })) }
            : {}),
        },
      ],
    },
    ...(observations.length ? { observations } : {}),
    ...(findings.length ? { findings } : {}),
  };
}

/** A model version's computed status as OSCAL assessment results: one result per catalog. */
export function assessmentResults(
  s: ModelCompliance,
  catalogs: readonly CatalogFile[],
): { 'assessment-results': Record<string, unknown> } {
  const key = `${s.modelKey}@${s.versionLabel}`;
  const planUuid = oscalUuid('assessment-basis', key, String(s.policyVersion));
  const title = (id: string) => catalogs.find((c) => c.id === id)?.title ?? id;
  return {
    'assessment-results': {
      uuid: oscalUuid('assessment-results', key, s.computedAt),
      metadata: metadata({
        title: `Compliance status of ${key}`,
        lastModified: s.computedAt,
        version: `policy-${s.policyVersion}`,
        props: [
          assayProp('model-key', s.modelKey),
          assayProp('version-label', s.versionLabel),
          ...(s.tier !== null ? [assayProp('tier', String(s.tier))] : []),
          ...(s.euAiActClass ? [assayProp('eu-ai-act-class', s.euAiActClass)] : []),
        ],
      }),
      'import-ap': {
        href: `#${planUuid}`,
        remarks:
          "There is no separate OSCAL assessment plan: Assay assesses every applicable requirement of each catalog by examining its records, as the policy's compliance mapping says.",
      },
      results: s.catalogs.map((c) => resultOf(s, c, title(c.catalog))),
      'back-matter': {
        resources: [
          resource(
            planUuid,
            `Assessment basis: Assay policy version ${s.policyVersion}, compliance mapping`,
            {
              description:
                'The compliance mapping of the policy in force; the status is computed from Assay records, never typed.',
              hrefs: ['/api/v1/compliance/oscal/component-definition'],
              props: [{ name: 'type', value: 'plan' }],
            },
          ),
        ],
      },
    },
  };
}
