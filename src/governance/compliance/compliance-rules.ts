import type {
  CatalogFile,
  CatalogRequirement,
  CatalogStatus,
  ComplianceState,
  RequirementStatus,
  Satisfier,
} from '../../contracts/compliance.ts';
import type { ComplianceMapping, ComplianceRecord, ComplianceSection } from '../../contracts/policy.ts';

/**
 * Computes a version's compliance status per catalog from facts Assay recorded (pure). A
 * requirement is `met` when everything its mapping names is there, `partly_met` when some of it
 * is, `not_met` when none is (or nothing is mapped), `not_applicable` when the classification,
 * the organisation's roles or the policy's catalog scope exclude it, or someone recorded why.
 */

/** One proof: evidence, a document or a record, with its hash and date. */
export interface Proof {
  id: string;
  hash: string | null;
  date: string | null;
  title: string;
}

export interface VersionFacts {
  modelKey: string;
  versionLabel: string;
  euAiActClass: string | null;
  /** From the effective tiering's EU AI Act classification. */
  transparency: readonly string[];
  annexIIIAreas: readonly string[];
  annexIProducts: readonly string[];
  fundamentalRightsAssessment: boolean;
  /** The tiering answers in effect (question id → answer id). */
  tieringAnswers: Readonly<Record<string, string>>;
  /** Current (not superseded), unexpired uploaded evidence by type. */
  evidence: Readonly<Record<string, readonly Proof[]>>;
  /** Checklist items as the review checklist counts them (documents included). */
  checklist: Readonly<
    Record<string, { satisfied: boolean; proofs: readonly Proof[]; gaps: readonly string[] }>
  >;
  /** The published model card: sections with text, or null. */
  card: { proof: Proof; written: ReadonlySet<string> } | null;
  /** The version's training/evaluation datasets and their published datasheets. */
  datasheets: readonly { dataset: string; sheet: { proof: Proof; written: ReadonlySet<string> } | null }[];
  records: Readonly<Record<ComplianceRecord, { met: boolean; proofs: readonly Proof[]; gap: string }>>;
  /** Recorded not-applicable statements by `catalog:requirement`. */
  notApplicable: ReadonlyMap<string, { reason: string; recordedBy: string; recordedAt: string }>;
}

/** Kinds that structure a catalog rather than being assessed. */
const STRUCTURAL = new Set(['function', 'category', 'group', 'note']);

export function assessable(r: CatalogRequirement): boolean {
  return !STRUCTURAL.has(r.kind);
}

/** The policy's scope rule for a catalog: it applies only when the tiering answers match. */
export interface CatalogScope {
  id: string;
  tieringAnswers?: Record<string, string[]> | undefined;
}

function scopeReason(scope: CatalogScope | undefined, facts: VersionFacts): string | null {
  if (!scope?.tieringAnswers) return null;
  for (const [q, answers] of Object.entries(scope.tieringAnswers))
    if (!answers.includes(facts.tieringAnswers[q] ?? ''))
      return `the policy applies this catalog only when the tiering answer to '${q}' is ${answers.join(' or ')} (it is ${facts.tieringAnswers[q] ?? 'unanswered'})`;
  return null;
}

/** Why a requirement does not apply to this version, from classification and roles; null when it applies. */
export function inapplicableBecause(
  r: CatalogRequirement,
  facts: VersionFacts,
  roles: readonly string[],
): string | null {
  if (r.roles && !r.roles.some((x) => roles.includes(x)))
    return `a ${r.roles.join('/')} obligation; the policy says the organisation holds the role(s) ${roles.join(', ')} (compliance.euAiActRoles)`;
  const a = r.applicability;
  if (!a) return null;
  if (a.euAiActClasses) {
    if (facts.euAiActClass === null) return null; // unclassified: cannot be excluded
    if (!a.euAiActClasses.includes(facts.euAiActClass as never))
      return `EU AI Act class is '${facts.euAiActClass}'; this applies to ${a.euAiActClasses.join(', ')}`;
  }
  if (a.transparency && !facts.transparency.includes(a.transparency))
    return `the classification did not match the transparency provision '${a.transparency}'`;
  if (a.fundamentalRightsAssessment && !facts.fundamentalRightsAssessment)
    return 'the classification says no fundamental rights impact assessment (Art. 27) is due';
  if (a.annexIIIAreas && !a.annexIIIAreas.some((x) => facts.annexIIIAreas.includes(x)))
    return `only for Annex III area(s) ${a.annexIIIAreas.join(', ')}`;
  return null;
}

/** The date from which the requirement applies for this version's route (Annex I product or Annex III). */
export function appliesFromFor(r: CatalogRequirement, facts: VersionFacts): string | null {
  const dates = r.appliesFrom ?? [];
  const route = facts.annexIProducts.length > 0 ? 'annex_i' : 'annex_iii';
  return (
    (dates.find((d) => d.route === route) ?? dates.find((d) => d.route === 'all') ?? dates[0])?.date ?? null
  );
}

function satisfiers(
  m: ComplianceMapping,
  facts: VersionFacts,
  controlRef: (id: string) => string,
): Satisfier[] {
  const out: Satisfier[] = [];
  for (const t of m.evidence ?? []) {
    const proofs = facts.evidence[t] ?? [];
    out.push({
      kind: 'evidence',
      name: t,
      met: proofs.length > 0,
      proofs: [...proofs],
      gap: proofs.length
        ? null
        : `attach current, unexpired '${t}' evidence to ${facts.modelKey}@${facts.versionLabel}`,
    });
  }
  for (const t of m.checklist ?? []) {
    const item = facts.checklist[t];
    out.push({
      kind: 'checklist',
      name: t,
      met: item?.satisfied ?? false,
      proofs: [...(item?.proofs ?? [])],
      gap: item?.satisfied
        ? null
        : [`checklist item '${t}' is not satisfied: attach '${t}' evidence`, ...(item?.gaps ?? [])].join(
            '; ',
          ),
    });
  }
  for (const s of m.cardSections ?? []) {
    const ok = facts.card?.written.has(s) ?? false;
    out.push({
      kind: 'card_section',
      name: s,
      met: ok,
      proofs:
        ok && facts.card ? [{ ...facts.card.proof, title: `${facts.card.proof.title}, section '${s}'` }] : [],
      gap: ok
        ? null
        : facts.card
          ? `write the '${s}' section of the model card and publish a new revision`
          : `publish a model card with the '${s}' section`,
    });
  }
  for (const s of m.datasheetSections ?? []) {
    const missing = facts.datasheets.filter((d) => !d.sheet?.written.has(s)).map((d) => d.dataset);
    const ok = facts.datasheets.length > 0 && missing.length === 0;
    out.push({
      kind: 'datasheet_section',
      name: s,
      met: ok,
      proofs: ok
        ? facts.datasheets.flatMap((d) =>
            d.sheet ? [{ ...d.sheet.proof, title: `${d.sheet.proof.title}, section '${s}'` }] : [],
          )
        : [],
      gap: ok
        ? null
        : facts.datasheets.length === 0
          ? 'link the training and evaluation datasets to the version, each with a published datasheet'
          : `write the '${s}' section in the published datasheet of ${missing.join(', ')}`,
    });
  }
  for (const r of m.records ?? []) {
    const rec = facts.records[r];
    out.push({
      kind: 'record',
      name: r,
      met: rec.met,
      proofs: [...rec.proofs],
      gap: rec.met ? null : rec.gap,
    });
  }
  for (const c of m.controls ?? [])
    out.push({
      kind: 'control',
      name: c,
      met: true,
      proofs: [{ id: c, hash: null, date: null, title: `enforced by Assay: ${controlRef(c)}` }],
      gap: null,
    });
  return out;
}

export function stateOf(sat: readonly Satisfier[]): ComplianceState {
  const counted = sat.some((s) => s.kind !== 'control') ? sat.filter((s) => s.kind !== 'control') : sat;
  if (counted.length === 0) return 'not_met';
  const met = counted.filter((s) => s.met).length;
  return met === counted.length ? 'met' : met > 0 ? 'partly_met' : 'not_met';
}

/** The status of every assessable requirement of one catalog for one version. */
export function catalogStatus(
  catalog: CatalogFile,
  section: ComplianceSection | undefined,
  scopes: readonly CatalogScope[],
  facts: VersionFacts,
  controlRef: (id: string) => string = (id) => id,
): CatalogStatus {
  const roles = section?.euAiActRoles ?? ['provider', 'deployer'];
  const mappings = new Map((section?.mappings ?? []).map((m) => [m.requirement, m]));
  const scope = scopeReason(
    scopes.find((s) => s.id === catalog.id),
    facts,
  );
  const requirements: RequirementStatus[] = catalog.requirements.filter(assessable).map((r) => {
    const ref = `${catalog.id}:${r.id}`;
    const base = {
      catalog: catalog.id,
      requirement: r.id,
      title: r.title,
      reference: r.reference,
      appliesFrom: appliesFromFor(r, facts),
    };
    const recorded = facts.notApplicable.get(ref);
    const because = recorded ? null : (scope ?? inapplicableBecause(r, facts, roles));
    if (recorded || because)
      return {
        ...base,
        state: 'not_applicable' as const,
        notApplicable: recorded
          ? { reason: recorded.reason, recordedBy: recorded.recordedBy, recordedAt: recorded.recordedAt }
          : { reason: because ?? '', recordedBy: null, recordedAt: null },
        satisfiers: [],
        gaps: [],
      };
    const m = mappings.get(ref);
    if (!m)
      return {
        ...base,
        state: 'not_met' as const,
        notApplicable: null,
        satisfiers: [],
        gaps: [
          `nothing Assay records is mapped to ${ref}: add a compliance.mappings entry to the policy, or record why it does not apply`,
        ],
      };
    const sat = satisfiers(m, facts, controlRef);
    return {
      ...base,
      state: stateOf(sat),
      notApplicable: null,
      satisfiers: sat,
      gaps: sat.flatMap((s) => (s.gap ? [s.gap] : [])),
    };
  });
  const counts = { met: 0, partly_met: 0, not_met: 0, not_applicable: 0 };
  for (const r of requirements) counts[r.state]++;
  return { catalog: catalog.id, title: catalog.title, counts, requirements };
}
