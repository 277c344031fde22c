import type { Kysely } from 'kysely';
import { CARD_SECTIONS, DATASHEET_SECTIONS } from '../../contracts/documentation.ts';
import type { EvidenceType, PolicyDocument } from '../../contracts/policy.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelsTable, ModelVersionsTable } from '../../platform/db/tables/inventory.ts';
import { checklistStatus } from '../reviews/review-rules.ts';
import {
  ownerName,
  publishedCard,
  tieringFacts,
  validatedReviews,
  versionDatasheets,
} from './compliance.queries.ts';
import type { ComplianceDeps } from './compliance.service.ts';
import { activeNotApplicable } from './compliance.store.ts';
import type { Proof, VersionFacts } from './compliance-rules.ts';

/** Everything the status rule needs about one version, read in `tx`. */
export async function readVersionFacts(
  tx: Kysely<Database>,
  clock: Clock,
  deps: ComplianceDeps,
  model: ModelsTable,
  version: ModelVersionsTable,
  policy: PolicyDocument,
): Promise<VersionFacts> {
  const now = clock.now();
  const tier = model.tier === null ? null : Number(model.tier);
  const tiering = await tieringFacts(tx, model.id);
  const matched = tiering?.eu.matched ?? [];
  const ids = (group: string) => matched.filter((m) => m.group === group).map((m) => m.id);
  const current = (await deps.evidence.currentForVersion(version.id, tx)).filter((e) => !e.expired);
  const proof = (e: (typeof current)[number]): Proof => ({
    id: e.id,
    hash: e.file?.sha256 ?? null,
    date: e.createdAt,
    title: `${e.type}: ${e.title}`,
  });
  const evidence: Record<string, Proof[]> = {};
  for (const e of current) {
    const list = evidence[e.type] ?? [];
    list.push(proof(e));
    evidence[e.type] = list;
  }
  const types = [
    ...new Set((policy.compliance?.mappings ?? []).flatMap((m) => m.checklist ?? [])),
  ] as EvidenceType[];
  const documents = await deps.documentation.standing(tx, version.id, tier);
  const items = checklistStatus(
    types,
    current.map((e) => ({ id: e.id, type: e.type, validUntil: e.validUntil, superseded: false })),
    now,
    documents,
  );
  const card = await publishedCard(tx, version.id, CARD_SECTIONS);
  const sheets = await versionDatasheets(tx, version.id, DATASHEET_SECTIONS);
  const byId = new Map(current.map((e) => [e.id, proof(e)]));
  const docProof = (id: string): Proof =>
    card?.id === id
      ? { id, hash: card.sha256, date: card.createdAt, title: `model card revision ${card.revision}` }
      : (() => {
          const s = sheets.find((d) => d.sheet?.id === id);
          return {
            id,
            hash: s?.sheet?.sha256 ?? null,
            date: s?.sheet?.createdAt ?? null,
            title: `datasheet of ${s?.dataset ?? id}`,
          };
        })();
  const checklist: VersionFacts['checklist'] = Object.fromEntries(
    items.map((i) => [
      i.evidenceType,
      {
        satisfied: i.status === 'satisfied',
        proofs: [...i.satisfiedBy.flatMap((id) => byId.get(id) ?? []), ...(i.documents ?? []).map(docProof)],
        gaps: i.documentGaps ?? [],
      },
    ]),
  );
  const decision = await deps.decisions.latestFinalIn(tx, version.id);
  const approved =
    decision !== null &&
    (decision.outcome === 'approve' || decision.outcome === 'approve_with_conditions') &&
    (decision.expiresAt === null || Date.parse(decision.expiresAt) > now.getTime());
  const validated = await validatedReviews(tx, version.id);
  const nextReview = (await deps.reviewSchedule.nextReviewDates([model.id])).get(model.id) ?? null;
  const owner = await ownerName(tx, model.owner_id);
  const na = await activeNotApplicable(tx, model.id);
  return {
    modelKey: model.key,
    versionLabel: version.label,
    euAiActClass: model.eu_ai_act_class ?? null,
    transparency: ids('transparency'),
    annexIIIAreas: ids('annexIIIAreas'),
    annexIProducts: ids('annexIProducts'),
    fundamentalRightsAssessment: tiering?.eu.fundamentalRightsImpactAssessment ?? false,
    tieringAnswers: tiering?.answers ?? {},
    evidence,
    checklist,
    card: card
      ? {
          proof: {
            id: card.id,
            hash: card.sha256,
            date: card.createdAt,
            title: `model card revision ${card.revision}`,
          },
          written: card.written,
        }
      : null,
    datasheets: sheets.map((d) => ({
      dataset: d.dataset,
      sheet: d.sheet
        ? {
            proof: {
              id: d.sheet.id,
              hash: d.sheet.sha256,
              date: d.sheet.createdAt,
              title: `datasheet of ${d.dataset} revision ${d.sheet.revision}`,
            },
            written: d.sheet.written,
          }
        : null,
    })),
    records: {
      inventory: {
        met: owner !== null && Boolean(model.intended_use ?? model.purpose),
        proofs: owner
          ? [
              {
                id: model.id,
                hash: null,
                date: model.created_at,
                title: `inventory record ${model.key} (owner ${owner})`,
              },
            ]
          : [],
        gap: 'record an owner and the intended use of the model in the inventory',
      },
      tiering: {
        met: tiering !== null && tier !== null,
        proofs: tiering
          ? [
              {
                id: tiering.id,
                hash: null,
                date: tiering.assessedAt,
                title: `tiering (Tier ${tier ?? '?'})`,
              },
            ]
          : [],
        gap: 'tier the model with the policy questionnaire',
      },
      eu_classification: {
        met: Boolean(model.eu_ai_act_class),
        proofs:
          tiering && model.eu_ai_act_class
            ? [
                {
                  id: tiering.id,
                  hash: null,
                  date: tiering.assessedAt,
                  title: `EU AI Act class ${model.eu_ai_act_class}`,
                },
              ]
            : [],
        gap: 'answer the EU AI Act questions when tiering the model',
      },
      independent_validation: {
        met: validated.length > 0,
        proofs: validated.slice(0, 1).map((r) => ({
          id: r.id,
          hash: null,
          date: r.updated_at,
          title: `${r.type} review validated (${r.state})`,
        })),
        gap: 'have an independent validator complete a review of this version',
      },
      approval: {
        met: approved,
        proofs:
          approved && decision
            ? [
                {
                  id: decision.id,
                  hash: null,
                  date: decision.finalizedAt,
                  title: `final decision: ${decision.outcome}`,
                },
              ]
            : [],
        gap: decision
          ? `the latest final decision is '${decision.outcome}'${decision.expiresAt ? ` (expires ${decision.expiresAt})` : ''}: approve the version`
          : 'take a final approval decision on this version',
      },
      review_schedule: {
        met: nextReview !== null && Date.parse(nextReview) > now.getTime(),
        proofs: nextReview
          ? [
              {
                id: model.id,
                hash: null,
                date: nextReview,
                title: `next periodic review due ${nextReview.slice(0, 10)}`,
              },
            ]
          : [],
        gap: nextReview
          ? `the periodic review was due ${nextReview.slice(0, 10)}: complete it`
          : 'approve the version so the periodic review schedule starts',
      },
    },
    notApplicable: new Map(na.map((n) => [`${n.catalog}:${n.requirement}`, n])),
  };
}
