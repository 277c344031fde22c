import type { Kysely } from 'kysely';
import {
  type Completeness,
  datasheetContentSchema,
  modelCardContentSchema,
} from '../../contracts/documentation.ts';
import type { DocumentationTier } from '../../contracts/policy.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelsTable } from '../../platform/db/tables/inventory.ts';
import type { PolicyService } from '../policy/policy.service.ts';
import type { ChecklistDocuments, DocumentStanding } from '../reviews/review-rules.ts';
import {
  type CardRow,
  cardRow,
  datasetsOfVersion,
  datasetUses,
  knownDatasets,
  publishedDatasheetRows,
  versionEvidenceFacts,
  versionRowById,
} from './documentation.queries.ts';
import {
  type CompletenessCore,
  cardCompleteness,
  datasheetCompleteness,
  documentationRulesFor,
  missingDocument,
} from './documentation-rules.ts';

// How documents stand against the documentation rules of the policy in force: the completeness of
// one card or datasheet revision, and the standing of a version's published card and datasheets
// that the review checklist, the gate and compliance count. Reads only (through the read model).

/** What judging a document needs: the clock (the evaluation time) and the policy in force. */
export interface StandingDeps {
  clock: Clock;
  policy: Pick<PolicyService, 'active'>;
}

/** Completeness of a card revision (none: the card is missing) against the rules of the model's tier. */
export async function cardCompletenessOf(
  tx: Kysely<Database>,
  deps: StandingDeps,
  model: ModelsTable,
  versionId: string,
  row: CardRow | null,
): Promise<Completeness> {
  const policy = await deps.policy.active(tx);
  const tier = model.tier === null ? null : Number(model.tier);
  const rules = documentationRulesFor(policy.document, tier);
  const core = row
    ? await cardCore(tx, versionId, row, rules)
    : missingDocument('card', [...rules.cardSections]);
  return completenessView(deps.clock, core, tier, policy.version, row);
}

/**
 * Completeness of a datasheet revision (none: missing) against the strictest tier of the models
 * whose versions use the dataset (Tier 1 rules when no tiered model uses it).
 */
export async function datasheetCompletenessOf(
  tx: Kysely<Database>,
  deps: StandingDeps,
  datasetId: string,
  row: { content_json: string; revision: number; status: string } | null,
): Promise<Completeness> {
  const policy = await deps.policy.active();
  const tiers = (await datasetUses(tx, datasetId))
    .map((u) => u.tier)
    .filter((t): t is number => t !== null)
    .map(Number);
  const tier = tiers.length ? Math.min(...tiers) : null;
  const rules = documentationRulesFor(policy.document, tier);
  const core = row
    ? datasheetCompleteness(datasheetContentSchema.parse(JSON.parse(row.content_json)), rules)
    : missingDocument('datasheet', [...rules.datasheetSections]);
  return completenessView(deps.clock, core, tier, policy.version, row);
}

/**
 * How the version's published card and its datasets' published datasheets stand for the tier:
 * what the review checklist counts for `model_card` and `data_sheet`. Reads inside `tx`.
 */
export async function documentStanding(
  tx: Kysely<Database>,
  deps: StandingDeps,
  versionId: string,
  tier: number | null,
): Promise<ChecklistDocuments> {
  const policy = await deps.policy.active(tx);
  const rules = documentationRulesFor(policy.document, tier);
  if (!(await versionRowById(tx, versionId))) return {};
  const published = await cardRow(tx, versionId, { publishedOnly: true });
  let card: DocumentStanding;
  if (published) {
    const core = await cardCore(tx, versionId, published, rules);
    card = core.passes
      ? { passing: [published.id], gaps: [], uploadsCount: rules.uploadedDocumentsCount }
      : {
          passing: [],
          gaps: core.gaps.map((g) => `model card revision ${published.revision}: ${g.section}: ${g.message}`),
          uploadsCount: rules.uploadedDocumentsCount,
        };
  } else {
    const draft = await cardRow(tx, versionId);
    card = {
      passing: [],
      gaps: [
        draft
          ? `model card revision ${draft.revision} is a draft; publish it`
          : 'the version has no model card',
      ],
      uploadsCount: rules.uploadedDocumentsCount,
    };
  }

  const datasets = await datasetsOfVersion(tx, versionId);
  const sheets = await publishedDatasheetRows(
    tx,
    datasets.map((d) => d.id),
  );
  const passing: string[] = [];
  const gaps: string[] = [];
  for (const d of datasets) {
    const sheet = sheets.get(d.id);
    if (!sheet) {
      gaps.push(`dataset '${d.name}' has no published datasheet`);
      continue;
    }
    const core = datasheetCompleteness(datasheetContentSchema.parse(JSON.parse(sheet.content_json)), rules);
    if (core.passes) passing.push(sheet.id);
    else gaps.push(...core.gaps.map((g) => `datasheet of '${d.name}': ${g.section}: ${g.message}`));
  }
  if (datasets.length === 0) gaps.push('the version names no training or evaluation datasets');
  const dataOk = rules.datasheetsForEveryDataset
    ? datasets.length > 0 && passing.length === datasets.length
    : passing.length > 0;
  return {
    model_card: card,
    data_sheet: {
      passing: dataOk ? passing : [],
      gaps: dataOk ? [] : gaps,
      uploadsCount: rules.uploadedDocumentsCount,
    },
  };
}

function completenessView(
  clock: Clock,
  core: CompletenessCore,
  tier: number | null,
  policyVersion: number,
  row: { revision: number; status: string } | null,
): Completeness {
  return {
    ...core,
    tier,
    policyVersion,
    revision: row ? Number(row.revision) : null,
    status: row ? (row.status as 'draft' | 'published') : null,
    evaluatedAt: clock.now().toISOString(),
  };
}

/** A card's completeness core: its sections, and whether the evidence and datasets it cites exist. */
async function cardCore(
  tx: Kysely<Database>,
  versionId: string,
  row: { content_json: string },
  rules: DocumentationTier,
): Promise<CompletenessCore> {
  const content = modelCardContentSchema.parse(JSON.parse(row.content_json));
  const evidence = await versionEvidenceFacts(tx, versionId);
  const refs = [...content.data.training, ...content.data.evaluation];
  const ids = refs.map((r) => r.id).filter((x): x is string => x !== null);
  const names = refs.filter((r) => r.id === null).map((r) => r.name);
  const known = await knownDatasets(tx, ids, names);
  return cardCompleteness(content, rules, {
    evidence,
    datasetIds: new Set(known.map((d) => d.id)),
    datasetNames: new Set(known.map((d) => d.name)),
  });
}
